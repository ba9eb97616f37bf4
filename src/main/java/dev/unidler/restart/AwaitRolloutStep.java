package dev.unidler.restart;

import dev.unidler.app.Cluster;
import dev.unidler.app.ClusterException;
import dev.unidler.app.StuckPods;
import dev.unidler.operation.FailureReason;
import dev.unidler.operation.OperationEvent.Replicas;
import dev.unidler.operation.OperationFailure;
import dev.unidler.operation.Outages;
import dev.unidler.operation.Progress;
import dev.unidler.operation.Step;
import dev.unidler.operation.Triggers;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Follows the rollout to its end, as {@code kubectl rollout status} does: every pod
 * replaced by the new template and available, no old pod left. Reads the workload as the
 * cache last saw it, woken by the cache's events, with a periodic re-check so that a lost
 * event cannot strand it; a workload the cache has not yet seen restarted counts as not
 * picked up. New pods that will not start by waiting end the restart at the first look at
 * them, naming why.
 */
@Component
@Order(200)
final class AwaitRolloutStep implements Step<Restart> {

	private final Workloads workloads;

	private final Cluster cluster;

	private final RestartProperties settings;

	AwaitRolloutStep(Workloads workloads, Cluster cluster, RestartProperties settings) {
		this.workloads = workloads;
		this.cluster = cluster;
		this.settings = settings;
	}

	@Override
	public String name() {
		return "await-rollout";
	}

	@Override
	public String description() {
		return "Wait for every new pod";
	}

	@Override
	public Flux<Progress> run(Restart restart) {
		return Flux.defer(() -> {
			StuckPods stuck = new StuckPods(this.settings.unschedulableGrace(), this.settings.recheck());
			return Triggers.of(this.workloads.changes(restart.ref()), this.settings.recheck())
				.concatMap((trigger) -> observe(restart, stuck), 1)
				.takeUntil((observation) -> observation.status() instanceof RolloutStatus.Done)
				.filter((observation) -> observation.status() instanceof RolloutStatus.Rolling)
				.distinctUntilChanged(Observation::shown)
				.map(Observation::progress);
		});
	}

	private Mono<Observation> observe(Restart restart, StuckPods stuck) {
		return this.workloads.observe(restart.ref())
			.switchIfEmpty(Mono.error(() -> new OperationFailure(FailureReason.UNKNOWN_APP,
					"The application was deleted during its restart.")))
			.flatMap((workload) -> {
				RolloutStatus status = restart.restartedAt()
					.equals(workload.templateAnnotations().get(RestartProperties.KUBECTL_RESTARTED_AT))
							? RolloutStatus.of(workload.rollout()) : RolloutStatus.notPickedUp(workload.rollout());
				if (status instanceof RolloutStatus.Stuck) {
					return Mono.error(new OperationFailure(FailureReason.APP_CANNOT_START, status.message() + "."));
				}
				if (status instanceof RolloutStatus.Done) {
					return Mono.just(new Observation(status, null));
				}
				// The pods only explain a wait: when Kubernetes does not answer, the wait
				// goes on (the cache tells when the rollout ends) and says so.
				return stuck.lookAt(() -> this.cluster.podProblems(restart.ref().namespace(), workload.selector()))
					.thenReturn(new Observation(status, null))
					.onErrorResume(Outages::isTransient,
							(error) -> Mono.just(new Observation(status, (ClusterException) error)));
			});
	}

	private record Observation(RolloutStatus status, @Nullable ClusterException outage) {

		/** What the caller is shown: the rollout, or that the API does not answer. */
		Object shown() {
			return (this.outage != null) ? Outages.WAITING_MESSAGE : this.status;
		}

		Progress progress() {
			if (this.outage != null) {
				return Progress.waitingForApi(this.outage);
			}
			RolloutStatus.Rolling rolling = (RolloutStatus.Rolling) this.status;
			return new Progress(rolling.message(), new Replicas(rolling.replaced(), rolling.desired()));
		}

	}

}
