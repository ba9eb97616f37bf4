package dev.unidler.app;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import dev.unidler.operation.FailureReason;
import dev.unidler.operation.OperationFailure;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Judges the problems of an app's pods while an operation waits for them: problems that
 * will not fix themselves (image pull errors, crash loops) end it at once, pods that
 * cannot be placed end it after a grace period (time for a cluster autoscaler to add a
 * node). Listing pods is an API request, so a wait looks at them only once it has lasted
 * a re-check interval (an app that starts quickly costs none), then at most once per
 * interval. One instance follows one wait.
 */
public final class StuckPods {

	private static final long NEVER = Long.MIN_VALUE;

	private final Duration grace;

	private final Duration interval;

	/** When pods were first seen stuck, on the clock that virtual-time tests replace. */
	private final AtomicLong since = new AtomicLong(NEVER);

	/** Why the last look got no answer; {@code null} when it got one. */
	private final AtomicReference<@Nullable ClusterException> unanswered = new AtomicReference<>();

	/** When the wait began or last looked at the pods. */
	private final AtomicLong looked;

	/**
	 * Starts following one wait.
	 * @param grace how long pods may stay unschedulable
	 * @param interval how long the wait goes before the first look at the pods, and
	 * between looks
	 */
	public StuckPods(Duration grace, Duration interval) {
		this.grace = grace;
		this.interval = interval;
		this.looked = new AtomicLong(now());
	}

	/**
	 * Looks at the pods' problems when it is time to. Between looks, repeats what the
	 * last one found: nothing, or that Kubernetes did not answer.
	 * @param problems lists the problems of the pods waited for
	 * @return completes when the pods may still start; fails with an
	 * {@link OperationFailure} when they will not by waiting longer, or with the
	 * {@link ClusterException} of the last look when Kubernetes did not answer it
	 */
	public Mono<Void> lookAt(Supplier<Mono<List<PodProblem>>> problems) {
		return Mono.defer(() -> {
			long now = now();
			long last = this.looked.get();
			if (now - last < this.interval.toMillis() || !this.looked.compareAndSet(last, now)) {
				ClusterException unanswered = this.unanswered.get();
				return (unanswered != null) ? Mono.error(unanswered) : Mono.empty();
			}
			return problems.get()
				.doOnNext((found) -> this.unanswered.set(null))
				.doOnError(ClusterException.class, (error) -> {
					if (error.isTransient()) {
						this.unanswered.set(error);
					}
				})
				.doOnNext(this::check)
				.then();
		});
	}

	/**
	 * Looks at the pods' problems now.
	 * @param problems the problems of the pods waited for
	 * @throws OperationFailure when they will not start by waiting longer
	 */
	void check(List<PodProblem> problems) {
		Optional<PodProblem> fatal = problems.stream().filter(PodProblem::fatal).findFirst();
		if (fatal.isPresent()) {
			throw cannotStart(fatal.get());
		}
		Optional<PodProblem> waiting = problems.stream().findFirst();
		if (waiting.isEmpty()) {
			this.since.set(NEVER);
			return;
		}
		long now = now();
		this.since.compareAndSet(NEVER, now);
		if (now - this.since.get() >= this.grace.toMillis()) {
			throw cannotStart(waiting.get());
		}
	}

	private static long now() {
		return Schedulers.parallel().now(TimeUnit.MILLISECONDS);
	}

	private static OperationFailure cannotStart(PodProblem problem) {
		return new OperationFailure(FailureReason.APP_CANNOT_START,
				"The app cannot start: " + problem.reason() + ". " + problem.message(),
				new IllegalStateException("Pod " + problem.pod() + ": " + problem.reason() + ": " + problem.message()));
	}

}
