package dev.unidler.admin;

import java.time.Duration;
import java.util.Optional;

import dev.unidler.access.Action;
import dev.unidler.access.AppRef;
import dev.unidler.access.Caller;
import dev.unidler.access.Callers;
import dev.unidler.app.AppKeys;
import dev.unidler.idle.IdleApp;
import dev.unidler.idle.IdleProperties;
import dev.unidler.idle.IdleTarget;
import dev.unidler.idle.Idles;
import dev.unidler.operation.FailureReason;
import dev.unidler.operation.Operation;
import dev.unidler.operation.OperationEvent;
import dev.unidler.operation.OperationFailure;
import dev.unidler.web.EventStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Idles over HTTP, on the admin port: {@code POST /idle} by host, and {@code POST
 * /api/v1/namespaces/{namespace}/deployments/{name}/idle} by Deployment. Translates
 * between HTTP and the idle operation; decides nothing about Kubernetes.
 *
 * <p>
 * Who may idle what, and how to wait, exactly as for restarts: the app must opt in to
 * idling and the caller's token must cover it, or the app is "not found";
 * {@code Accept: text/event-stream} follows the run, {@code ?wait=} answers with the
 * outcome as the status code, and a plain request answers once the idle ends (it takes a
 * few writes), or with {@code 202} if it runs longer than a plain answer waits.
 */
@Component
final class IdleHandler {

	private static final Logger logger = LoggerFactory.getLogger(IdleHandler.class);

	static final String SERVER_ERROR = "Error while trying to idle application.";

	/** How long a plain request waits for the idle to end. */
	private static final Duration PLAIN_WAIT = Duration.ofSeconds(30);

	private final Idles idles;

	private final AppKeys keys;

	private final OperationRequests requests;

	private final EventStreams streams;

	private final IdleProperties settings;

	IdleHandler(Idles idles, AppKeys keys, OperationRequests requests, EventStreams streams, IdleProperties settings) {
		this.idles = idles;
		this.keys = keys;
		this.requests = requests;
		this.streams = streams;
		this.settings = settings;
	}

	/** {@code POST /idle} with {@code {"host": "..."}}. */
	Mono<ServerResponse> idleHost(ServerRequest request) {
		return RestartHandler.byHost(request, this.keys, (key, body) -> idle(request, new IdleTarget.Host(key)));
	}

	/** {@code POST /api/v1/namespaces/{namespace}/{kind}/{name}/idle}. */
	Mono<ServerResponse> idleWorkload(ServerRequest request) {
		Optional<String> kind = WorkloadKinds.fromPath(request.pathVariable("kind"));
		if (kind.isEmpty()) {
			return RestartHandler.answer(HttpStatus.NOT_FOUND, Answer.error(RestartFailures.NOT_FOUND));
		}
		if (!"Deployment".equals(kind.get())) {
			return RestartHandler.answer(HttpStatus.UNPROCESSABLE_ENTITY,
					Answer.error("Only Deployments are idled: the idled-state contract is theirs."));
		}
		return idle(request, new IdleTarget.Named(request.pathVariable("namespace"), request.pathVariable("name")));
	}

	private Mono<ServerResponse> idle(ServerRequest request, IdleTarget target) {
		return OperationRequests.waitOf(request)
			.flatMap((wait) -> Callers.current()
				.map(Optional::of)
				.defaultIfEmpty(Optional.empty())
				.flatMap((caller) -> this.idles.find(target)
					.flatMap((app) -> permitted(caller, app).map((who) -> this.idles.request(app, who)))
					.flatMap((operation) -> respond(request, operation, wait))))
			.onErrorResume(OperationFailure.class, IdleHandler::refused)
			.onErrorResume(Refused.class,
					(refused) -> RestartHandler.answer(refused.status(), Answer.error(refused.getMessage())));
	}

	/** The token name of a caller who may idle this app, or a refusal. */
	private Mono<String> permitted(Optional<Caller> caller, IdleApp app) {
		AppRef ref = new AppRef("Deployment", app.namespace(), app.deployment().name(), app.key().value());
		return this.requests.permitted(Action.IDLE, caller, ref, app.deployment().labels(),
				app.deployment().annotations());
	}

	private Mono<ServerResponse> respond(ServerRequest request, Operation operation, Optional<Duration> wait) {
		if (request.headers().accept().contains(MediaType.TEXT_EVENT_STREAM)) {
			return this.streams.respond(operation, request.headers().firstHeader(EventStreams.LAST_EVENT_ID));
		}
		Duration limit = wait
			.map((asked) -> (asked.compareTo(this.settings.deadline()) > 0) ? this.settings.deadline() : asked)
			.orElse(PLAIN_WAIT);
		HttpStatus unfinished = wait.isPresent() ? HttpStatus.GATEWAY_TIMEOUT : HttpStatus.ACCEPTED;
		return operation.events()
			.filter(OperationEvent::isTerminal)
			.next()
			.timeout(limit, Mono.empty())
			.map((end) -> outcome(operation, end))
			.defaultIfEmpty(RestartHandler.answer(unfinished,
					new Answer("Still idling after " + DurationStyle.SIMPLE.print(limit) + "; the idle goes on.", null,
							"idling", null, operation.id())))
			.flatMap((answer) -> answer);
	}

	private static Mono<ServerResponse> outcome(Operation operation, OperationEvent end) {
		if (end.kind() == OperationEvent.Kind.READY) {
			return RestartHandler.answer(HttpStatus.OK, new Answer(end.message(), null, "done", null, operation.id()));
		}
		FailureReason reason = end.failure();
		HttpStatus status = RestartFailures.status(reason);
		String error = (status == HttpStatus.INTERNAL_SERVER_ERROR) ? SERVER_ERROR : end.message();
		return RestartHandler.answer(status,
				new Answer(null, error, "failed", RestartFailures.name(reason), operation.id()));
	}

	private static Mono<ServerResponse> refused(OperationFailure failure) {
		HttpStatus status = RestartFailures.status(failure.reason());
		if (status == HttpStatus.INTERNAL_SERVER_ERROR) {
			logger.warn("Could not idle: {}", failure.getMessage(), failure.getCause());
			return RestartHandler.answer(status, Answer.error(SERVER_ERROR));
		}
		String message = (failure.reason() == FailureReason.UNKNOWN_APP) ? RestartFailures.NOT_FOUND
				: failure.getMessage();
		return RestartHandler.answer(status, Answer.error(message));
	}

}
