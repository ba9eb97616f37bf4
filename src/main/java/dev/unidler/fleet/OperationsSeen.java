package dev.unidler.fleet;

import java.time.InstantSource;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.unidler.app.AppEvent.Regarding;
import dev.unidler.operation.FailureReason;
import dev.unidler.operation.OperationEvent;
import dev.unidler.operation.OperationKind;
import dev.unidler.operation.OperationListener;
import dev.unidler.operation.OperationSubject;
import dev.unidler.operation.StepDescription;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

import org.springframework.stereotype.Component;

/**
 * What the operations of this instance say about each app, heard as they run: which
 * operation runs on it now, how the last one ended, and the last wake that woke it.
 * Memory only, and bounded: past {@link #CAPACITY} apps the one whose last operation
 * ended longest ago is forgotten.
 *
 * <p>
 * A refusal that changed nothing (busy, not idled, idled, unknown) is not an outcome: the
 * app is as it was, so it does not count as failed. A wake that found its app awake
 * already woke nothing and is no "last wake".
 */
@Component
final class OperationsSeen implements OperationListener {

	/** Apps remembered at most. */
	static final int CAPACITY = 10_000;

	private static final Set<FailureReason> REFUSALS = Set.of(FailureReason.BUSY, FailureReason.NOT_IDLED,
			FailureReason.APP_IDLED, FailureReason.UNKNOWN_APP, FailureReason.AMBIGUOUS_APP);

	private final InstantSource clock;

	/** Guarded by this; every critical section is a few map operations. */
	private final Map<String, Map<String, OperationKind>> running = new HashMap<>();

	/** Runs that went past finding their app: a wake among them woke something. */
	private final Map<String, Boolean> pastLocate = new HashMap<>();

	/** Guarded by this. */
	private final Map<String, Remembered> ended = new LinkedHashMap<>(16, 0.75f, false) {

		@Override
		protected boolean removeEldestEntry(Map.Entry<String, Remembered> eldest) {
			return size() > CAPACITY;
		}

	};

	private final Sinks.Many<String> changes = Sinks.many().multicast().directBestEffort();

	OperationsSeen() {
		this(InstantSource.system());
	}

	OperationsSeen(InstantSource clock) {
		this.clock = clock;
	}

	@Override
	public void started(OperationSubject subject) {
		String app = app(subject);
		if (app != null) {
			synchronized (this) {
				this.running.computeIfAbsent(app, (key) -> new LinkedHashMap<>()).put(subject.id(), subject.kind());
			}
			changed(app);
		}
	}

	@Override
	public void event(OperationSubject subject, OperationEvent event) {
		String app = app(subject);
		if (app == null) {
			return;
		}
		boolean changed;
		synchronized (this) {
			Map<String, OperationKind> runs = this.running.computeIfAbsent(app, (key) -> new LinkedHashMap<>());
			// A wake learns its app on the way: running from then on.
			changed = runs.put(subject.id(), subject.kind()) == null;
			if (!StepDescription.LOCATE.name().equals(event.step())) {
				this.pastLocate.put(subject.id(), true);
			}
			if (event.isTerminal()) {
				stop(app, subject.id());
				boolean woke = this.pastLocate.remove(subject.id()) != null;
				changed |= remember(app, subject.kind(), event, woke);
			}
		}
		if (changed) {
			changed(app);
		}
	}

	@Override
	public void abandoned(OperationSubject subject) {
		String app = app(subject);
		if (app != null) {
			synchronized (this) {
				stop(app, subject.id());
				this.pastLocate.remove(subject.id());
			}
			changed(app);
		}
	}

	/** The operation that runs on the app here now, if any (the latest, if several). */
	synchronized Optional<OperationKind> running(String app) {
		Map<String, OperationKind> runs = this.running.get(app);
		return (runs == null || runs.isEmpty()) ? Optional.empty()
				: runs.values().stream().reduce((first, second) -> second);
	}

	/** How the last operation that ended on the app here ended. */
	synchronized Optional<Outcome> last(String app) {
		return Optional.ofNullable(this.ended.get(app)).map(Remembered::last);
	}

	/** The last wake here that woke the app. */
	synchronized Optional<Outcome> lastWake(String app) {
		return Optional.ofNullable(this.ended.get(app)).map(Remembered::lastWake);
	}

	/**
	 * Emits the app's name ({@code namespace/name}) whenever an operation on it starts,
	 * learns it, or ends. Never completes.
	 */
	Flux<String> changes() {
		return this.changes.asFlux();
	}

	private void stop(String app, String id) {
		Map<String, OperationKind> runs = this.running.get(app);
		if (runs != null) {
			runs.remove(id);
			if (runs.isEmpty()) {
				this.running.remove(app);
			}
		}
	}

	/** Whether anything was remembered. */
	private boolean remember(String app, OperationKind kind, OperationEvent end, boolean woke) {
		if (end.kind() == OperationEvent.Kind.FAILURE && REFUSALS.contains(end.failure())) {
			return false;
		}
		Outcome outcome = new Outcome(kind, end.kind() == OperationEvent.Kind.READY, end.message(), end.failure(),
				end.elapsedMillis(), this.clock.instant());
		Remembered before = this.ended.remove(app);
		Outcome lastWake = (kind == OperationKind.WAKE && outcome.succeeded() && woke) ? outcome
				: (before != null) ? before.lastWake() : null;
		this.ended.put(app, new Remembered(outcome, lastWake));
		return true;
	}

	/** Listeners are called on any thread: a sink takes no concurrent emissions. */
	private void changed(String app) {
		synchronized (this.changes) {
			this.changes.tryEmitNext(app);
		}
	}

	private static @Nullable String app(OperationSubject subject) {
		Regarding workload = subject.workload();
		return (workload != null) ? workload.namespace() + "/" + workload.name() : null;
	}

	private record Remembered(Outcome last, @Nullable Outcome lastWake) {

	}

}
