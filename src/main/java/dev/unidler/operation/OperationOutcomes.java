package dev.unidler.operation;

import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

import org.springframework.stereotype.Component;

/**
 * How the last operations of each app ended in this instance: whether the last one
 * failed, and the last wake with its duration, for views of the fleet. Memory only, and
 * bounded: past {@link #CAPACITY} apps the least recently ended is forgotten.
 *
 * <p>
 * A refusal that changed nothing (busy, not idled, idled) is not an outcome: the app is
 * as it was, so it does not count as failed.
 */
@Component
public final class OperationOutcomes {

	/** Apps remembered at most. */
	static final int CAPACITY = 10_000;

	private static final Set<FailureReason> REFUSALS = Set.of(FailureReason.BUSY, FailureReason.NOT_IDLED,
			FailureReason.APP_IDLED, FailureReason.UNKNOWN_APP, FailureReason.AMBIGUOUS_APP);

	private final InstantSource clock;

	/** Guarded by itself; every critical section is a map operation. */
	private final Map<String, Remembered> apps = new LinkedHashMap<>(16, 0.75f, false) {

		@Override
		protected boolean removeEldestEntry(Map.Entry<String, Remembered> eldest) {
			return size() > CAPACITY;
		}

	};

	private final Sinks.Many<String> changes = Sinks.many().multicast().directBestEffort();

	public OperationOutcomes() {
		this(InstantSource.system());
	}

	OperationOutcomes(InstantSource clock) {
		this.clock = clock;
	}

	/**
	 * Remembers how an operation on an app ended.
	 * @param app {@code namespace/name}
	 * @param kind what it was
	 * @param end its terminal event
	 */
	public void ended(String app, OperationKind kind, OperationEvent end) {
		if (end.kind() == OperationEvent.Kind.FAILURE && REFUSALS.contains(end.failure())) {
			return;
		}
		Outcome outcome = new Outcome(kind, end.kind() == OperationEvent.Kind.READY, end.message(), end.failure(),
				end.elapsedMillis(), this.clock.instant());
		synchronized (this.apps) {
			Remembered before = this.apps.remove(app);
			Outcome lastWake = (kind == OperationKind.WAKE && outcome.succeeded()) ? outcome
					: (before != null) ? before.lastWake() : null;
			this.apps.put(app, new Remembered(outcome, lastWake));
		}
		synchronized (this.changes) {
			this.changes.tryEmitNext(app);
		}
	}

	/** The outcome of the last operation that ended on the app, if one did here. */
	public Optional<Outcome> last(String app) {
		synchronized (this.apps) {
			return Optional.ofNullable(this.apps.get(app)).map(Remembered::last);
		}
	}

	/** The last wake of the app that succeeded here. */
	public Optional<Outcome> lastWake(String app) {
		synchronized (this.apps) {
			return Optional.ofNullable(this.apps.get(app)).map(Remembered::lastWake);
		}
	}

	/**
	 * Emits the app's name ({@code namespace/name}) whenever an operation on it ends.
	 * Never completes.
	 */
	public Flux<String> changes() {
		return this.changes.asFlux();
	}

	/**
	 * How one operation ended.
	 *
	 * @param kind what it was
	 * @param succeeded whether it did what was asked
	 * @param message its last words, for people
	 * @param failure why it failed; {@code null} when it succeeded
	 * @param elapsedMillis how long it took
	 * @param at when it ended
	 */
	public record Outcome(OperationKind kind, boolean succeeded, String message, @Nullable FailureReason failure,
			long elapsedMillis, Instant at) {

	}

	private record Remembered(Outcome last, @Nullable Outcome lastWake) {

	}

}
