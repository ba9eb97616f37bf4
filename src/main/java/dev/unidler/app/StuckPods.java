package dev.unidler.app;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.unidler.operation.FailureReason;
import dev.unidler.operation.OperationFailure;
import reactor.core.scheduler.Schedulers;

/**
 * Judges the problems of an app's pods while an operation waits for them: problems that
 * will not fix themselves (image pull errors, crash loops) end it at once, pods that
 * cannot be placed end it after a grace period (time for a cluster autoscaler to add a
 * node). One instance follows one wait.
 */
public final class StuckPods {

	private static final long NEVER = Long.MIN_VALUE;

	private final Duration grace;

	/** When pods were first seen stuck, on the clock that virtual-time tests replace. */
	private final AtomicLong since = new AtomicLong(NEVER);

	/**
	 * @param grace how long pods may stay unschedulable
	 */
	public StuckPods(Duration grace) {
		this.grace = grace;
	}

	/**
	 * Looks at the pods' problems now.
	 * @param problems the problems of the pods waited for
	 * @throws OperationFailure when they will not start by waiting longer
	 */
	public void check(List<PodProblem> problems) {
		Optional<PodProblem> fatal = problems.stream().filter(PodProblem::fatal).findFirst();
		if (fatal.isPresent()) {
			throw cannotStart(fatal.get());
		}
		Optional<PodProblem> waiting = problems.stream().findFirst();
		if (waiting.isEmpty()) {
			this.since.set(NEVER);
			return;
		}
		long now = Schedulers.parallel().now(TimeUnit.MILLISECONDS);
		this.since.compareAndSet(NEVER, now);
		if (now - this.since.get() >= this.grace.toMillis()) {
			throw cannotStart(waiting.get());
		}
	}

	private static OperationFailure cannotStart(PodProblem problem) {
		return new OperationFailure(FailureReason.APP_CANNOT_START,
				"The app cannot start: " + problem.reason() + ". " + problem.message(),
				new IllegalStateException("Pod " + problem.pod() + ": " + problem.reason() + ": " + problem.message()));
	}

}
