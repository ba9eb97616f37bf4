package dev.unidler.web;

import java.util.Optional;
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
 * Finds which app a request is for, from its {@code Host} header, and decides whether the
 * request may wake it: the host must be a DNS name ({@code 400}), and the request one
 * that wakes apps ({@link WakePolicy}). Looking the app up reads the cluster cache, so a
 * client that invents hosts costs the API server nothing.
 */
@Component
final class AppRequests {

	private final AppKeys keys;

	private final WakePolicy policy;

	private final BadHosts badHosts;

	AppRequests(AppKeys keys, WakePolicy policy, BadHosts badHosts) {
		this.keys = keys;
		this.policy = policy;
		this.badHosts = badHosts;
	}

	/**
	 * Handles a request for an app, or answers it without a lookup: {@code 400} when its
	 * host is not a DNS name, the wake policy's answer when it must not wake the app.
	 */
	Mono<ServerResponse> forApp(ServerRequest request, Function<AppKey, Mono<ServerResponse>> handler) {
		Optional<String> host = RequestHosts.parse(request.headers().firstHeader(HttpHeaders.HOST));
		if (host.isEmpty()) {
			this.badHosts.refused("not a DNS name");
			return ServerResponse.status(HttpStatus.BAD_REQUEST)
				.contentType(MediaType.TEXT_PLAIN)
				.bodyValue("The Host header must be a valid DNS name.\n");
		}
		WakePolicy.Decision decision = this.policy.decide(request);
		if (decision != WakePolicy.Decision.WAKE) {
			return WakePolicy.answer(decision, host.get());
		}
		return handler.apply(this.keys.forHost(host.get()));
	}

}
