package dev.unidler.wake;

import dev.unidler.UnidlerProperties;
import dev.unidler.app.Cluster;
import dev.unidler.app.ClusterException;
import dev.unidler.app.StuckPods;
import dev.unidler.operation.OperationEvent.Replicas;
import dev.unidler.operation.Outages;
import dev.unidler.operation.Progress;
import dev.unidler.operation.Triggers;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Waits until enough replicas are available, reporting the counts as they change. Reads
 * the Deployment as the cache last saw it, woken by the cache's events, with a periodic
 * re-check so that a lost event cannot strand it: a wait costs no API request unless it
 * lasts. Pods that will not start by waiting end the wake at the first look at them.
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
			StuckPods stuck = new StuckPods(this.settings.unschedulableGrace(), this.settings.recheck());
			return Triggers
				.of(this.cluster.deploymentChanges(app.namespace(), app.deployment()), this.settings.recheck())
				.concatMap((trigger) -> observe(app, stuck), 1)
				.takeUntil(Observation::available)
				.distinctUntilChanged(Observation::shown)
				.map(Observation::progress);
		});
	}

	private Mono<Observation> observe(App app, StuckPods stuck) {
		return this.cluster.observedDeployment(app.namespace(), app.deployment()).flatMap((deployment) -> {
			// Until the cache has seen the wake's scale-up, it shows the idled count.
			int desired = (deployment.replicas() > 0) ? deployment.replicas() : app.replicas();
			Replicas replicas = new Replicas(deployment.availableReplicas(), desired);
			if (deployment.isAvailable(this.settings.minAvailable())) {
				return Mono.just(new Observation(replicas, true, null));
			}
			// The pods only explain a wait: when Kubernetes does not answer, the wait
			// goes on (the cache tells when the app is up) and says so.
			return stuck.lookAt(() -> this.cluster.podProblems(app.namespace(), deployment.selector()))
				.thenReturn(new Observation(replicas, false, null))
				.onErrorResume(Outages::isTransient,
						(error) -> Mono.just(new Observation(replicas, false, (ClusterException) error)));
		});
	}

	private record Observation(Replicas replicas, boolean available, @Nullable ClusterException outage) {

		/** What the page shows: the counts, or that the API does not answer. */
		Object shown() {
			return (this.outage != null) ? Outages.WAITING_MESSAGE : this.replicas;
		}

		Progress progress() {
			return (this.outage != null) ? Progress.waitingForApi(this.outage) : new Progress(
					this.replicas.available() + " of " + this.replicas.desired() + " ready", this.replicas);
		}

	}

}
