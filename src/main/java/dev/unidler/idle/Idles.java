package dev.unidler.idle;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.unidler.operation.Operation;
import dev.unidler.operation.Operations;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

/**
 * The idles of this instance: at most one per app. Callers who ask while one runs follow
 * it; an idle leaves the registry when it ends, so the next request looks at the app
 * afresh (and finds it idled: a no-op that says so).
 */
@Component
public final class Idles {

	private final IdleLocator locator;

	private final IdlePipeline pipeline;

	private final Map<String, Operation> running = new ConcurrentHashMap<>();

	Idles(IdleLocator locator, IdlePipeline pipeline) {
		this.locator = locator;
		this.pipeline = pipeline;
	}

	/**
	 * The app a caller named, idled or not: who may idle it is decided before a caller
	 * learns anything more about it.
	 * @return the app, or an {@link dev.unidler.operation.OperationFailure}: unknown or
	 * ambiguous
	 */
	public Mono<IdleApp> find(IdleTarget target) {
		return this.locator.find(target);
	}

	/**
	 * Idles an app found by {@link #find}, or joins the idle of it that runs.
	 * @param app the app
	 * @param requestedBy who asks (a token name, or {@code schedule}), for the log
	 * @return the idle, started
	 */
	public Operation request(IdleApp app, String requestedBy) {
		String name = app.qualifiedName();
		Operation existing = this.running.get(name);
		if (existing != null) {
			return existing;
		}
		String id = Operations.newId();
		Operation candidate = new Operation(id, this.pipeline.run(id, app, requestedBy),
				(ended) -> this.running.remove(name, ended));
		existing = this.running.putIfAbsent(name, candidate);
		if (existing != null) {
			return existing;
		}
		candidate.start();
		return candidate;
	}

}
