package dev.unidler.web;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the Netty-level guard refuses; {@code RequestEdgesTests} sends it over real
 * sockets.
 */
class HostHeaderGuardTests {

	@Test
	void twoHostHeadersAreRefused() {
		assertThat(HostHeaderGuard.problem(List.of("a.example.test", "b.example.test"))).isNotNull();
		assertThat(HostHeaderGuard.problem(List.of("a.example.test", "a.example.test"))).isNotNull();
	}

	@ParameterizedTest
	@ValueSource(strings = { "a.example.test:99999", "a.example.test:0", "a.example.test:65536", "a.example.test:",
			"a.example.test:80x", "a:b:c", "a.example.test:99999999999", "[::1", "[::1]:0", "[::1]:x" })
	void aPortOutsideOneTo65535IsRefused(String host) {
		assertThat(HostHeaderGuard.problem(List.of(host))).isNotNull();
	}

	@ParameterizedTest
	@ValueSource(strings = { "a.example.test", "a.example.test:1", "a.example.test:65535", "10.0.0.1:8080",
			"[::1]:8080", "[::1]", "", "bad_host", "<script>" })
	void everythingElseIsLeftToTheRoutes(String host) {
		// Whether it is a DNS name is decided later, where /healthz can still answer
		// a probe that names the pod by address.
		assertThat(HostHeaderGuard.problem(List.of(host))).isNull();
		assertThat(HostHeaderGuard.problem(List.of())).isNull();
	}

}
