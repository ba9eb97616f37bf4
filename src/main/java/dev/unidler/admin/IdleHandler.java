package dev.unidler.admin;

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
import dev.unidler.operation.OperationFailure;
import dev.unidler.web.EventStreams;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
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

	static final String SERVER_ERROR = "Error while trying to idle application.";

	private final Idles idles;

	private final AppKeys keys;

	private final OperationRequests requests;

	private final OperationAnswers answers;

	IdleHandler(Idles idles, AppKeys keys, OperationRequests requests, EventStreams streams, IdleProperties settings) {
		this.idles = idles;
		this.keys = keys;
		this.requests = requests;
		this.answers = new OperationAnswers(streams, settings.deadline(), "idle", "idling", SERVER_ERROR);
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
					.flatMap((operation) -> this.answers.respond(request, operation, wait))))
			.onErrorResume((error) -> error instanceof OperationFailure || error instanceof Refused,
					this.answers::refused);
	}

	/** The token name of a caller who may idle this app, or a refusal. */
	private Mono<String> permitted(Optional<Caller> caller, IdleApp app) {
		AppRef ref = new AppRef("Deployment", app.namespace(), app.deployment().name(), app.key().value());
		return this.requests.permitted(Action.IDLE, caller, ref, app.deployment().labels(),
				app.deployment().annotations());
	}

}
