package dev.unidler.web;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import dev.unidler.UnidlerProperties;
import dev.unidler.wake.AppKey;
import dev.unidler.wake.FailureReason;
import dev.unidler.wake.Wake;
import dev.unidler.wake.WakeEvent;
import dev.unidler.wake.WakeSteps;
import dev.unidler.wake.Wakes;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Answers any request for an idled app and starts its wake. A browser asking for HTML
 * gets the waiting page, on the very URL it asked for, so the page only has to reload
 * once the app is back. Any other client gets {@code 503} with {@code Retry-After}: its
 * retry reaches the app once it is awake. A request body is never read, so it is never
 * replayed.
 */
@Component
final class WaitingPageHandler {

	static final String TEMPLATE = "waiting";

	static final String RETRY_AFTER_SECONDS = "5";

	/** How long the first answer waits to know whether the app exists at all. */
	private static final Duration LOCATE_WAIT = Duration.ofSeconds(5);

	private final AppRequests requests;

	private final Wakes wakes;

	private final WakeSteps steps;

	private final UnidlerProperties.Page page;

	WaitingPageHandler(AppRequests requests, Wakes wakes, WakeSteps steps, UnidlerProperties properties) {
		this.requests = requests;
		this.wakes = wakes;
		this.steps = steps;
		this.page = properties.page();
	}

	Mono<ServerResponse> handle(ServerRequest request) {
		return this.requests.forApp(request, (key) -> {
			Wake wake = this.wakes.wake(key);
			Mono<Optional<WakeEvent>> located = wake.located()
				.map(Optional::of)
				.timeout(LOCATE_WAIT, Mono.just(Optional.empty()))
				.defaultIfEmpty(Optional.empty());
			return located.flatMap((event) -> wantsPage(request) ? page(key, event.orElse(null))
					: unavailable(key, event.orElse(null)));
		});
	}

	private Mono<ServerResponse> page(AppKey key, WakeEvent located) {
		Map<String, Object> model = new LinkedHashMap<>();
		model.put("host", key.host());
		model.put("productName", this.page.productName());
		model.put("logoUrl", this.page.logoUrl());
		model.put("supportUrl", this.page.supportUrl());
		model.put("steps", this.steps.describe());
		boolean failed = located != null && located.kind() == WakeEvent.Kind.FAILURE;
		model.put("failure", failed ? located.message() : null);
		return ServerResponse.status(failed ? statusOf(located.failure()) : HttpStatus.OK)
			.contentType(MediaType.TEXT_HTML)
			.headers(NoStore::apply)
			.headers(WaitingPageHandler::contentSecurityPolicy)
			.render(TEMPLATE, model);
	}

	private Mono<ServerResponse> unavailable(AppKey key, WakeEvent located) {
		if (located != null && located.kind() == WakeEvent.Kind.FAILURE) {
			return ServerResponse.status(statusOf(located.failure()))
				.contentType(MediaType.TEXT_PLAIN)
				.headers(NoStore::apply)
				.bodyValue(located.message() + "\n");
		}
		return ServerResponse.status(HttpStatus.SERVICE_UNAVAILABLE)
			.contentType(MediaType.TEXT_PLAIN)
			.headers(NoStore::apply)
			.header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
			.bodyValue(key.host() + " is starting. Retry in a few seconds.\n");
	}

	/**
	 * Only a client that names HTML gets the page: API clients send {@code *}{@code /*}
	 * and are better served by a status code they can act on.
	 */
	private static boolean wantsPage(ServerRequest request) {
		return HttpMethod.GET.equals(request.method()) && Accepts.names(request, MediaType.TEXT_HTML);
	}

	private static HttpStatus statusOf(FailureReason reason) {
		if (reason == null) {
			return HttpStatus.SERVICE_UNAVAILABLE;
		}
		return switch (reason) {
			case UNKNOWN_APP -> HttpStatus.NOT_FOUND;
			case AMBIGUOUS_APP, INVALID_APP -> HttpStatus.CONFLICT;
			default -> HttpStatus.SERVICE_UNAVAILABLE;
		};
	}

	private static void contentSecurityPolicy(HttpHeaders headers) {
		headers.set("Content-Security-Policy", "default-src 'self'; img-src 'self' data: https:; "
				+ "base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
		headers.set("X-Content-Type-Options", "nosniff");
		headers.set("Referrer-Policy", "no-referrer");
	}

}
