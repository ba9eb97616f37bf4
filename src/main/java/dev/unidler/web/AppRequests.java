package dev.unidler.web;

import java.util.function.Function;

import dev.unidler.app.AppKey;
import dev.unidler.app.AppKeys;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Finds which app a request is for, from its {@code Host} header.
 */
@Component
final class AppRequests {

	private final AppKeys keys;

	AppRequests(AppKeys keys) {
		this.keys = keys;
	}

	/**
	 * Handles a request for an app, or answers {@code 400} when its host is not a DNS
	 * name; nothing is looked up or started for a bad host.
	 */
	Mono<ServerResponse> forApp(ServerRequest request, Function<AppKey, Mono<ServerResponse>> handler) {
		return RequestHosts.parse(request.headers().firstHeader(HttpHeaders.HOST))
			.map((host) -> handler.apply(this.keys.forHost(host)))
			.orElseGet(() -> ServerResponse.status(HttpStatus.BAD_REQUEST)
				.contentType(MediaType.TEXT_PLAIN)
				.bodyValue("The Host header must be a valid DNS name.\n"));
	}

}
