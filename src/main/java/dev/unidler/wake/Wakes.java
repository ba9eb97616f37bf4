package dev.unidler.wake;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import dev.unidler.app.AppKey;
import dev.unidler.operation.LogSafe;
import dev.unidler.operation.Operation;
import dev.unidler.operation.Operations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The wakes running in this instance: at most one per app, however many requests, tabs
 * and reconnects ask for it. A wake leaves the registry when it ends, so the next request
 * looks at the app afresh.
 *
 * <p>
 * On shutdown it ends every open stream first, so that browsers reconnect to another
 * replica, then waits for the wakes in flight to finish rather than leave apps half
 * woken.
 */
@Component
public final class Wakes implements SmartLifecycle, DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(Wakes.class);

	private final WakePipeline pipeline;

	private final Map<AppKey, Operation> running = new ConcurrentHashMap<>();

	private final Sinks.Empty<Void> stopping = Sinks.empty();

	private volatile boolean started;

	Wakes(WakePipeline pipeline) {
		this.pipeline = pipeline;
	}

	/** The wake of an app: the one running, or a new one. */
	public Operation wake(AppKey key) {
		Operation existing = this.running.get(key);
		if (existing != null) {
			return existing;
		}
		String id = Operations.newId();
		Operation candidate = new Operation(id, this.pipeline.run(id, key), (ended) -> ended(key, ended));
		existing = this.running.putIfAbsent(key, candidate);
		if (existing != null) {
			return existing;
		}
		logger.debug("Starting wake {} of {}", candidate.id(), LogSafe.of(key));
		candidate.start();
		return candidate;
	}

	/**
	 * Whether a wake of the app with this lookup label value runs here: someone waits on
	 * its page.
	 */
	public boolean isWaking(String lookupValue) {
		return this.running.entrySet()
			.stream()
			.anyMatch((entry) -> entry.getKey().value().equals(lookupValue) && !entry.getValue().isOver()
					&& !entry.getValue().foundNoApp());
	}

	private void ended(AppKey key, Operation wake) {
		this.running.remove(key, wake);
	}

	/** Completes when the instance begins to shut down; streams end with it. */
	public Mono<Void> stopping() {
		return this.stopping.asMono();
	}

	int runningCount() {
		return this.running.size();
	}

	@Override
	public void start() {
		this.started = true;
	}

	@Override
	public void stop() {
		stop(() -> {
		});
	}

	@Override
	public void stop(Runnable callback) {
		this.stopping.tryEmitEmpty();
		if (this.running.values().stream().anyMatch((wake) -> !wake.isOver())) {
			logger.info("Waiting for the wakes in flight before shutting down: {}", inFlight());
		}
		// Bounded: every wake ends by its deadline.
		Mono.when(this.running.values().stream().map(Operation::ended).toList()).doFinally((signal) -> {
			this.started = false;
			callback.run();
		}).subscribe();
	}

	@Override
	public boolean isRunning() {
		return this.started;
	}

	/**
	 * Runs after the shutdown phase, so only wakes that outlived its time limit are left:
	 * each is named in the log and stopped, before the schedulers its calls need go away.
	 * The next request for the app finishes it.
	 */
	@Override
	public void destroy() {
		this.running.forEach((key, wake) -> {
			if (!wake.isOver()) {
				logger.info("Abandoned the wake of {} in step {} at shutdown; the next request for it finishes it",
						LogSafe.of(key), wake.step());
				wake.abandon();
			}
		});
	}

	private String inFlight() {
		return this.running.entrySet()
			.stream()
			.filter((entry) -> !entry.getValue().isOver())
			.map((entry) -> LogSafe.of(entry.getKey()))
			.sorted()
			.collect(Collectors.joining(", "));
	}

}
