package dev.unidler.admin;

import java.time.Duration;
import java.util.Optional;
import java.util.function.BiFunction;

import dev.unidler.UnidlerProperties;
import dev.unidler.access.Action;
import dev.unidler.access.AppRef;
import dev.unidler.access.Caller;
import dev.unidler.access.Callers;
import dev.unidler.app.AppKey;
import dev.unidler.app.AppKeys;
import dev.unidler.operation.FailureReason;
import dev.unidler.operation.Operation;
import dev.unidler.operation.OperationEvent;
import dev.unidler.operation.OperationFailure;
import dev.unidler.restart.RestartProperties;
import dev.unidler.restart.RestartTarget;
import dev.unidler.restart.Restarts;
import dev.unidler.restart.Workload;
import dev.unidler.restart.WorkloadRef;
import dev.unidler.web.EventStreams;
import dev.unidler.web.RequestHosts;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.codec.DecodingException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.ServerWebInputException;

/**
 * Restarts over HTTP, on the admin port: the restarter's {@code POST /restart} by host,
 * and {@code POST /api/v1/namespaces/{namespace}/{kind}/{name}/restart} by workload.
 * Translates between HTTP and the restart operation; decides nothing about Kubernetes.
 *
 * <p>
 * Who may restart what: an app must opt in, and the caller's token must cover it. A
 * caller learns nothing of apps it may not restart: without a valid token, an app that
 * has not opted in, or one the token does not cover, is "not found", exactly like an app
 * that does not exist.
 *
 * <p>
 * How to wait: {@code Accept: text/event-stream} follows the run as Server-Sent Events;
 * {@code ?wait=5m} answers with the outcome as the status code; otherwise the answer
 * comes once Kubernetes has been asked for new pods.
 */
@Component
final class RestartHandler {

	private static final Logger logger = LoggerFactory.getLogger(RestartHandler.class);

	static final String RESTARTED = "Restarted.";

	static final String INVALID_JSON = "Failed to decode request body: Invalid JSON.";

	static final String EMPTY_HOST = "invalid request: 'host' can't be empty";

	static final String SERVER_ERROR = "Error while trying to restart application.";

	/** How long a plain request waits for Kubernetes to be asked for new pods. */
	private static final Duration ACCEPT_WAIT = Duration.ofSeconds(30);

	private final Restarts restarts;

	private final AppKeys keys;

	private final OperationRequests requests;

	private final EventStreams streams;

	private final RestartProperties settings;

	private final String lookupLabel;

	RestartHandler(Restarts restarts, AppKeys keys, OperationRequests requests, EventStreams streams,
			RestartProperties settings, UnidlerProperties properties) {
		this.lookupLabel = properties.labels().lookup();
		this.restarts = restarts;
		this.keys = keys;
		this.requests = requests;
		this.streams = streams;
		this.settings = settings;
	}

	/** {@code POST /restart} with {@code {"host": "...", "reason": "..."}}. */
	Mono<ServerResponse> restartHost(ServerRequest request) {
		return byHost(request, this.keys, (key, body) -> restart(request, new RestartTarget.Host(key), body.reason()));
	}

	/**
	 * A request whose JSON body names an app by host, as the restarter's
	 * {@code POST /restart} does: the restarter's answers to a body without a usable host
	 * or that is not JSON, otherwise what {@code then} answers.
	 */
	static Mono<ServerResponse> byHost(ServerRequest request, AppKeys keys,
			BiFunction<AppKey, RestartBody, Mono<ServerResponse>> then) {
		return request.bodyToMono(RestartBody.class).defaultIfEmpty(new RestartBody(null, null)).flatMap((body) -> {
			if (body.host() == null || body.host().isBlank()) {
				return answer(HttpStatus.BAD_REQUEST, Answer.error(EMPTY_HOST));
			}
			Optional<String> parsed = RequestHosts.parse(body.host());
			if (parsed.isEmpty()) {
				return answer(HttpStatus.NOT_FOUND, Answer.error(RestartFailures.NOT_FOUND));
			}
			return then.apply(keys.forHost(parsed.get()), body);
		}).onErrorResume(RestartHandler::isBadJson, (ex) -> answer(HttpStatus.BAD_REQUEST, Answer.error(INVALID_JSON)));
	}

	/** {@code POST /api/v1/namespaces/{namespace}/{kind}/{name}/restart}. */
	Mono<ServerResponse> restartWorkload(ServerRequest request) {
		Optional<String> kind = WorkloadKinds.fromPath(request.pathVariable("kind"));
		if (kind.isEmpty()) {
			return answer(HttpStatus.NOT_FOUND, Answer.error(RestartFailures.NOT_FOUND));
		}
		WorkloadRef ref = new WorkloadRef(kind.get(), request.pathVariable("namespace"), request.pathVariable("name"));
		return request.bodyToMono(RestartBody.class)
			.map(Optional::of)
			.defaultIfEmpty(Optional.empty())
			.flatMap((body) -> restart(request, new RestartTarget.Named(ref),
					body.map(RestartBody::reason).or(() -> request.queryParam("reason")).orElse(null)))
			.onErrorResume(RestartHandler::isBadJson,
					(ex) -> answer(HttpStatus.BAD_REQUEST, Answer.error(INVALID_JSON)));
	}

	private Mono<ServerResponse> restart(ServerRequest request, RestartTarget target, @Nullable String reason) {
		return OperationRequests.waitOf(request)
			.flatMap((wait) -> Callers.current()
				.map(Optional::of)
				.defaultIfEmpty(Optional.empty())
				.flatMap((caller) -> this.restarts.find(target)
					.flatMap((workload) -> permitted(caller, workload, target))
					.flatMap((who) -> this.restarts.request(target, reason, who))
					.flatMap((operation) -> respond(request, operation, wait))))
			.onErrorResume(OperationFailure.class, (failure) -> refused(failure))
			.onErrorResume(Refused.class, (refused) -> answer(refused.status(), Answer.error(refused.getMessage())));
	}

	/** The token name of a caller who may restart this workload, or a refusal. */
	private Mono<String> permitted(Optional<Caller> caller, Workload workload, RestartTarget target) {
		WorkloadRef ref = workload.ref();
		// The host the app serves, however the caller named it: a token limited to hosts
		// covers the app by name too.
		String host = (target instanceof RestartTarget.Host byHost) ? byHost.key().host()
				: workload.labels().get(this.lookupLabel);
		AppRef app = new AppRef(ref.kind(), ref.namespace(), ref.name(), host);
		return this.requests.permitted(Action.RESTART, caller, app, workload.labels(), workload.annotations());
	}

	private Mono<ServerResponse> respond(ServerRequest request, Operation operation, Optional<Duration> wait) {
		if (request.headers().accept().contains(MediaType.TEXT_EVENT_STREAM)) {
			return this.streams.respond(operation, request.headers().firstHeader(EventStreams.LAST_EVENT_ID));
		}
		if (wait.isPresent()) {
			Duration limit = wait.get().compareTo(this.settings.deadline()) > 0 ? this.settings.deadline() : wait.get();
			return operation.events()
				.filter(OperationEvent::isTerminal)
				.next()
				.timeout(limit, Mono.empty())
				.map((end) -> outcome(operation, end))
				.defaultIfEmpty(stillRolling(operation, limit))
				.flatMap((answer) -> answer);
		}
		return operation.events()
			.filter((event) -> event.isTerminal() || Restarts.isUnderWay(event))
			.next()
			.timeout(ACCEPT_WAIT, Mono.empty())
			.map((event) -> event.isTerminal() && event.kind() == OperationEvent.Kind.FAILURE
					? outcome(operation, event) : answer(HttpStatus.OK, Answer.message(RESTARTED)))
			.defaultIfEmpty(answer(HttpStatus.ACCEPTED,
					new Answer("Restart queued: it starts when the one rolling " + "now ends.", null, "queued", null,
							operation.id())))
			.flatMap((answer) -> answer);
	}

	private Mono<ServerResponse> outcome(Operation operation, OperationEvent end) {
		if (end.kind() == OperationEvent.Kind.READY) {
			return answer(HttpStatus.OK, new Answer(RESTARTED, null, "done", null, operation.id()));
		}
		FailureReason reason = end.failure();
		HttpStatus status = RestartFailures.status(reason);
		String error = (status == HttpStatus.INTERNAL_SERVER_ERROR) ? SERVER_ERROR : end.message();
		return answer(status, new Answer(null, error, "failed", RestartFailures.name(reason), operation.id()));
	}

	private Mono<ServerResponse> stillRolling(Operation operation, Duration limit) {
		return answer(HttpStatus.GATEWAY_TIMEOUT,
				new Answer("Still rolling after " + DurationStyle.SIMPLE.print(limit) + "; the restart goes on.", null,
						"rolling", null, operation.id()));
	}

	private static Mono<ServerResponse> refused(OperationFailure failure) {
		HttpStatus status = RestartFailures.status(failure.reason());
		if (status == HttpStatus.INTERNAL_SERVER_ERROR) {
			logger.warn("Could not restart: {}", failure.getMessage(), failure.getCause());
			return answer(status, Answer.error(SERVER_ERROR));
		}
		return answer(status, Answer.error(RestartFailures.message(failure)));
	}

	static boolean isBadJson(Throwable error) {
		return error instanceof DecodingException || error instanceof ServerWebInputException;
	}

	static Mono<ServerResponse> answer(HttpStatus status, Answer answer) {
		return ServerResponse.status(status).contentType(MediaType.APPLICATION_JSON).bodyValue(answer);
	}

}
