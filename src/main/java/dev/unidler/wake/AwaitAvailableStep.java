package dev.unidler.wake;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.unidler.UnidlerProperties;
import dev.unidler.app.Cluster;
import dev.unidler.app.PodProblem;
import dev.unidler.operation.FailureReason;
import dev.unidler.operation.Operation;
import dev.unidler.operation.OperationEvent;
import dev.unidler.operation.OperationEvent.Replicas;
import dev.unidler.operation.OperationFailure;
import dev.unidler.operation.Progress;
import dev.unidler.operation.Triggers;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Waits until enough replicas are available, reporting the counts as they change. Woken
 * by a watch on the Deployment, with a periodic re-check so that a lost event cannot
 * strand it. Pods that will not start by waiting end the wake at once.
 */
@Component
@Order(200)
final class AwaitAvailableStep implements WakeStep {

	private final Cluster cluster;

	private final UnidlerProperties.Wake settings;

	AwaitAvailableStep(Cluster cluster, UnidlerProperties properties) {
		this.cluster = cluster;
		this.settings = properties.wake();
	}

	@Override
	public String name() {
		return "await-available";
	}

	@Override
	public String description() {
		return "Wait for the app to start";
	}

	@Override
	public Flux<Progress> run(App app) {
		return Flux.defer(() -> {
			UnschedulableSince unschedulable = new UnschedulableSince();
			return Triggers
				.of(this.cluster.deploymentChanges(app.namespace(), app.deployment()), this.settings.recheck())
				.concatMap((trigger) -> observe(app, unschedulable), 1)
				.takeUntil(Observation::available)
				.map(Observation::replicas)
				.distinctUntilChanged()
				.map((replicas) -> new Progress(replicas.available() + " of " + replicas.desired() + " ready",
						replicas));
		});
	}

	private Mono<Observation> observe(App app, UnschedulableSince unschedulable) {
		return this.cluster.deployment(app.namespace(), app.deployment()).flatMap((deployment) -> {
			Replicas replicas = new Replicas(deployment.availableReplicas(), deployment.replicas());
			if (deployment.isAvailable(this.settings.minAvailable())) {
				return Mono.just(new Observation(replicas, true));
			}
			return this.cluster.podProblems(app.namespace(), deployment.selector())
				.doOnNext((problems) -> failOnLastingProblems(problems, unschedulable))
				.thenReturn(new Observation(replicas, false));
		});
	}

	private void failOnLastingProblems(List<PodProblem> problems, UnschedulableSince unschedulable) {
		Optional<PodProblem> fatal = problems.stream().filter(PodProblem::fatal).findFirst();
		if (fatal.isPresent()) {
			throw cannotStart(fatal.get());
		}
		Optional<PodProblem> waiting = problems.stream().findFirst();
		if (waiting.isEmpty()) {
			unschedulable.clear();
			return;
		}
		if (unschedulable.lastedAtLeast(this.settings.unschedulableGrace())) {
			throw cannotStart(waiting.get());
		}
	}

	private static OperationFailure cannotStart(PodProblem problem) {
		return new OperationFailure(FailureReason.APP_CANNOT_START,
				"The app cannot start: " + problem.reason() + ". " + problem.message(),
				new IllegalStateException("Pod " + problem.pod() + ": " + problem.reason() + ": " + problem.message()));
	}

	private record Observation(Replicas replicas, boolean available) {

	}

	/** When pods were first seen stuck, on the clock that virtual-time tests replace. */
	private static final class UnschedulableSince {

		private static final long NEVER = Long.MIN_VALUE;

		private final AtomicLong since = new AtomicLong(NEVER);

		boolean lastedAtLeast(Duration grace) {
			long now = Schedulers.parallel().now(TimeUnit.MILLISECONDS);
			this.since.compareAndSet(NEVER, now);
			return now - this.since.get() >= grace.toMillis();
		}

		void clear() {
			this.since.set(NEVER);
		}

	}

}
