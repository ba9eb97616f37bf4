package dev.unidler.web;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class RequestHostsTests {

	@ParameterizedTest
	@CsvSource({ "app1.example.test, app1.example.test", "App1.Example.TEST:8080, app1.example.test",
			"app1.example.test., app1.example.test", "localhost:80, localhost", "10.0.0.1, 10.0.0.1",
			"a.test:1, a.test", "a.test:65535, a.test" })
	void normalisesValidHosts(String header, String host) {
		assertThat(RequestHosts.parse(header)).contains(host);
	}

	@ParameterizedTest
	@ValueSource(strings = { "", " ", "bad_host", "-a.test", "a-.test", "a..test", ".test", "[::1]:8080", "a.test:port",
			"a.test:123456", "<script>.test", "a test", "a.test:0", "a.test:00", "a.test:65536", "a.test:99999",
			"a.test:" })
	void refusesAnythingElse(String header) {
		assertThat(RequestHosts.parse(header)).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(ints = { 64, 70 })
	void refusesOverlongLabels(int length) {
		assertThat(RequestHosts.parse("a".repeat(length) + ".test")).isEmpty();
	}

	@org.junit.jupiter.api.Test
	void refusesAMissingHeaderAndOverlongNames() {
		assertThat(RequestHosts.parse(null)).isEmpty();
		assertThat(RequestHosts.parse(("a".repeat(60) + ".").repeat(5) + "test")).isEmpty();
	}

}
