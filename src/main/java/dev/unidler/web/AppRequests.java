package dev.unidler.web;

import java.util.Optional;
import java.util.function.Function;

import dev.unidler.app.AppKey;
import dev.unidler.app.AppKeys;
import dev.unidler.wake.Wakes;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Finds which app a request is for, from its {@code Host} header, and decides whether the
 * request may look the app up and wake it. In this order, each cheaper than the next: the
 * host must be a DNS name ({@code 400}); the request must be one that wakes apps
 * ({@link WakePolicy}); a host with no wake running or remembered costs a lookup, which
 * the client must have budget for ({@link LookupBudget}, {@code 429}).
 */
@Component
final class AppRequests {

	private final AppKeys keys;

	private final WakePolicy policy;

	private final LookupBudget budget;

	private final ClientAddresses clients;

	private final Wakes wakes;

	private final BadHosts badHosts;

	AppRequests(AppKeys keys, WakePolicy policy, LookupBudget budget, ClientAddresses clients, Wakes wakes,
			BadHosts badHosts) {
		this.keys = keys;
		this.policy = policy;
		this.budget = budget;
		this.clients = clients;
		this.wakes = wakes;
		this.badHosts = badHosts;
	}

	/**
	 * Handles a request for an app, or answers it without a lookup: {@code 400} when its
	 * host is not a DNS name, the wake policy's answer when it must not wake the app,
	 * {@code 429} when its client has caused too many lookups.
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
		AppKey key = this.keys.forHost(host.get());
		if (!this.wakes.has(key)) {
			long retryAfter = this.budget.take(this.clients.of(request));
			if (retryAfter > 0) {
				return ServerResponse.status(HttpStatus.TOO_MANY_REQUESTS)
					.contentType(MediaType.TEXT_PLAIN)
					.headers(NoStore::apply)
					.header(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter))
					.bodyValue("Too many requests for different hosts. Retry in a few seconds.\n");
			}
		}
		return handler.apply(key);
	}

}
