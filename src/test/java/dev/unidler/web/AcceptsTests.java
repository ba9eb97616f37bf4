package dev.unidler.web;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.reactive.function.server.HandlerStrategies;
import org.springframework.web.reactive.function.server.ServerRequest;

import static org.assertj.core.api.Assertions.assertThat;

class AcceptsTests {

	@ParameterizedTest
	@ValueSource(strings = { ";;;", "text/html;q=abc", "text/", "\"", "text/html;q=2", "text/html, ;;;" })
	void aMalformedHeaderIsTreatedAsAbsent(String accept) {
		ServerRequest request = request(accept);

		assertThat(Accepts.malformed(request)).isTrue();
		assertThat(Accepts.names(request, MediaType.TEXT_HTML)).isFalse();
		assertThat(Accepts.names(request, MediaType.TEXT_EVENT_STREAM)).isFalse();
	}

	@Test
	void aTypeWithQualityZeroIsRefusedNotAccepted() {
		assertThat(Accepts.names(request("text/html;q=0"), MediaType.TEXT_HTML)).isFalse();
		assertThat(Accepts.names(request("text/html;q=0.0, */*"), MediaType.TEXT_HTML)).isFalse();
		assertThat(Accepts.names(request("text/event-stream;q=0"), MediaType.TEXT_EVENT_STREAM)).isFalse();
		assertThat(Accepts.malformed(request("text/html;q=0"))).isFalse();
	}

	@Test
	void anyPositiveQualityCounts() {
		assertThat(Accepts.names(request("application/json, text/html;q=0.001"), MediaType.TEXT_HTML)).isTrue();
		assertThat(Accepts.names(request("text/html,application/xhtml+xml,*/*;q=0.8"), MediaType.TEXT_HTML)).isTrue();
	}

	@Test
	void wildcardsAndAnAbsentHeaderNameNothing() {
		assertThat(Accepts.names(request("*/*"), MediaType.TEXT_HTML)).isFalse();
		assertThat(Accepts.names(request("text/*"), MediaType.TEXT_HTML)).isFalse();
		ServerRequest none = ServerRequest.create(MockServerWebExchange.from(MockServerHttpRequest.get("/")),
				HandlerStrategies.withDefaults().messageReaders());
		assertThat(Accepts.names(none, MediaType.TEXT_HTML)).isFalse();
		assertThat(Accepts.malformed(none)).isFalse();
	}

	static ServerRequest request(String accept) {
		return ServerRequest.create(
				MockServerWebExchange.from(MockServerHttpRequest.get("/").header(HttpHeaders.ACCEPT, accept)),
				HandlerStrategies.withDefaults().messageReaders());
	}

}
