package dev.unidler.admin;

import java.util.Optional;

import dev.unidler.UnidlerProperties;
import dev.unidler.access.Action;
import dev.unidler.access.AppRef;
import dev.unidler.access.Caller;
import dev.unidler.access.Callers;
import dev.unidler.idle.IdleApp;
import dev.unidler.idle.IdleTarget;
import dev.unidler.idle.Idles;
import dev.unidler.operation.LogSafe;
import dev.unidler.operation.Operation;
import dev.unidler.operation.OperationFailure;
import dev.unidler.wake.Wakes;
import dev.unidler.web.EventStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Wakes over HTTP, on the admin port: {@code POST
 * /api/v1/namespaces/{namespace}/deployments/{name}/wake}. The very wake a request to the
 * app's host starts (one per app, shared with every waiting page), asked for by name:
 * what the console's wake and repair buttons do, and what finishes a half-woken app,
 * since every step of a wake looks before it writes.
 *
 * <p>
 * A wake needs no opt-in (it is how an idled app is used), but the caller's token must
 * allow waking the app, or the app is "not found". How to wait is as for idles:
 * {@code Accept: text/event-stream}, {@code ?wait=}, or a plain answer once the wake ends
 * ({@code 202} if it runs longer than 30 s).
 */
@Component
final class WakeHandler {

	private static final Logger logger = LoggerFactory.getLogger(WakeHandler.class);

	static final String SERVER_ERROR = "Error while trying to wake application.";

	private final Wakes wakes;

	private final Idles idles;

	private final OperationRequests requests;

	private final OperationAnswers answers;

	WakeHandler(Wakes wakes, Idles idles, OperationRequests requests, EventStreams streams,
			UnidlerProperties properties) {
		this.wakes = wakes;
		this.idles = idles;
		this.requests = requests;
		this.answers = new OperationAnswers(streams, properties.wake().deadline(), "wake", "waking", SERVER_ERROR);
	}

	/** {@code POST /api/v1/namespaces/{namespace}/{kind}/{name}/wake}. */
	Mono<ServerResponse> wakeWorkload(ServerRequest request) {
		Optional<String> kind = WorkloadKinds.fromPath(request.pathVariable("kind"));
		if (kind.isEmpty()) {
			return RestartHandler.answer(HttpStatus.NOT_FOUND, Answer.error(RestartFailures.NOT_FOUND));
		}
		if (!"Deployment".equals(kind.get())) {
			return RestartHandler.answer(HttpStatus.UNPROCESSABLE_ENTITY,
					Answer.error("Only Deployments are woken: the idled-state contract is theirs."));
		}
		IdleTarget target = new IdleTarget.Named(request.pathVariable("namespace"), request.pathVariable("name"));
		return OperationRequests.waitOf(request)
			.flatMap((wait) -> Callers.current()
				.map(Optional::of)
				.defaultIfEmpty(Optional.empty())
				.flatMap((caller) -> operation(caller, target)
					.flatMap((operation) -> this.answers.respond(request, operation, wait))))
			.onErrorResume((error) -> error instanceof OperationFailure || error instanceof Refused,
					this.answers::refused);
	}

	/** The wake a caller may start, or a refusal. */
	private Mono<Operation> operation(Optional<Caller> caller, IdleTarget target) {
		if (caller.isEmpty()) {
			// Every app allows a wake: looking it up first would tell an anonymous caller
			// the apps that exist (401) from those that do not (404).
			return Mono.error(new Refused(HttpStatus.UNAUTHORIZED, "A bearer token is required."));
		}
		return this.idles.find(target).flatMap((app) -> permitted(caller, app).map((who) -> wake(app, who)));
	}

	private Operation wake(IdleApp app, String who) {
		logger.info("Wake of {} asked by {}", LogSafe.of(app.qualifiedName()), LogSafe.of(who));
		return this.wakes.wake(app.key());
	}

	private Mono<String> permitted(Optional<Caller> caller, IdleApp app) {
		AppRef ref = new AppRef("Deployment", app.namespace(), app.deployment().name(), app.key().value());
		return this.requests.permitted(Action.WAKE, caller, ref, app.deployment().labels(),
				app.deployment().annotations());
	}

}
