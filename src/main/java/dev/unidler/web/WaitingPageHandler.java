package dev.unidler.web;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import dev.unidler.app.AppKey;
import dev.unidler.operation.Operation;
import dev.unidler.operation.OperationEvent;
import dev.unidler.wake.WakeSteps;
import dev.unidler.wake.Wakes;
import org.jspecify.annotations.Nullable;
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

	static final String RETRY_AFTER_READY_SECONDS = "1";

	/** How long the first answer waits to know whether the app exists at all. */
	private static final Duration LOCATE_WAIT = Duration.ofSeconds(5);

	private final AppRequests requests;

	private final Wakes wakes;

	private final WakeSteps steps;

	private static final MediaType HTML = new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8);

	private final PageAssets assets;

	private final WaitingPages pages;

	WaitingPageHandler(AppRequests requests, Wakes wakes, WakeSteps steps, PageAssets assets, WaitingPages pages) {
		this.requests = requests;
		this.assets = assets;
		this.wakes = wakes;
		this.steps = steps;
		this.pages = pages;
	}

	Mono<ServerResponse> handle(ServerRequest request) {
		return this.requests.forApp(request, (key) -> {
			Operation wake = this.wakes.wake(key);
			// Wait until the wake knows whether the app exists, then answer with all it
			// knows by then: a fast app may even be awake already. Once it knows, as for
			// a crowd arriving at a waking app, there is nothing to wait for.
			Mono<Operation> located = wake.isLocated() ? Mono.just(wake)
					: wake.located().timeout(LOCATE_WAIT, Mono.empty()).then(Mono.just(wake)).defaultIfEmpty(wake);
			return located
				.flatMap((known) -> wantsPage(request) ? page(key, known.latest()) : unavailable(key, known.latest()));
		});
	}

	private Mono<ServerResponse> page(AppKey key, @Nullable OperationEvent latest) {
		PageState state = PageState.of(this.steps.describe(), latest);
		return ServerResponse.status(statusOf(latest))
			.contentType(HTML)
			.headers(NoStore::apply)
			.headers(this::securityHeaders)
			.bodyValue(this.pages.render(key.host(), state));
	}

	/**
	 * A client that cannot show the page learns when to come back: soon while the app
	 * starts, at once when it is already awake (its address still leads here for a moment
	 * while routes settle).
	 */
	private Mono<ServerResponse> unavailable(AppKey key, @Nullable OperationEvent latest) {
		if (isFailure(latest)) {
			return ServerResponse.status(statusOf(latest))
				.contentType(MediaType.TEXT_PLAIN)
				.headers(NoStore::apply)
				.bodyValue(latest.message() + "\n");
		}
		boolean ready = latest != null && latest.kind() == OperationEvent.Kind.READY;
		return ServerResponse.status(HttpStatus.SERVICE_UNAVAILABLE)
			.contentType(MediaType.TEXT_PLAIN)
			.headers(NoStore::apply)
			.header(HttpHeaders.RETRY_AFTER, ready ? RETRY_AFTER_READY_SECONDS : RETRY_AFTER_SECONDS)
			.bodyValue(ready ? key.host() + " is ready. Retry now.\n"
					: key.host() + " is starting. Retry in a few seconds.\n");
	}

	private static boolean isFailure(@Nullable OperationEvent event) {
		return event != null && event.kind() == OperationEvent.Kind.FAILURE;
	}

	/**
	 * Only a client that names HTML gets the page: API clients send {@code *}{@code /*}
	 * and are better served by a status code they can act on.
	 */
	private static boolean wantsPage(ServerRequest request) {
		return HttpMethod.GET.equals(request.method()) && Accepts.names(request, MediaType.TEXT_HTML);
	}

	private static HttpStatus statusOf(@Nullable OperationEvent latest) {
		if (!isFailure(latest) || latest.failure() == null) {
			return HttpStatus.OK;
		}
		return switch (latest.failure()) {
			case UNKNOWN_APP -> HttpStatus.NOT_FOUND;
			case AMBIGUOUS_APP, INVALID_APP, NOT_IDLED -> HttpStatus.CONFLICT;
			default -> HttpStatus.SERVICE_UNAVAILABLE;
		};
	}

	private void securityHeaders(HttpHeaders headers) {
		headers.set("Content-Security-Policy", this.assets.contentSecurityPolicy());
		headers.set("X-Content-Type-Options", "nosniff");
		headers.set("Referrer-Policy", "no-referrer");
	}

}
