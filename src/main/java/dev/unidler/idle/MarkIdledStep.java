package dev.unidler.idle;

import java.time.Clock;

import dev.unidler.app.Cluster;
import dev.unidler.app.DeploymentState;
import dev.unidler.app.IdledMetadata;
import dev.unidler.operation.Progress;
import reactor.core.publisher.Flux;

/**
 * Writes the idled-state contract on the Deployment: the replicas it runs now, the time,
 * the idled label. Its replicas are left alone: the pods serve until traffic has moved.
 */
final class MarkIdledStep implements IdleStep {

	private final Cluster cluster;

	private final IdledMetadata idled;

	private final Clock clock;

	MarkIdledStep(Cluster cluster, IdledMetadata idled, Clock clock) {
		this.cluster = cluster;
		this.idled = idled;
		this.clock = clock;
	}

	@Override
	public String name() {
		return "mark-idled";
	}

	@Override
	public String description() {
		return "Mark the app idled";
	}

	@Override
	public Flux<Progress> run(IdleApp app) {
		return this.cluster.deployment(app.namespace(), app.deployment().name()).flatMapMany((deployment) -> {
			if (this.idled.isComplete(deployment)) {
				return Flux.just(Progress.of("Already marked idled"));
			}
			int replicas = replicas(deployment);
			IdledMetadata.Marks marks = this.idled.marks(replicas, this.clock.instant());
			return this.cluster
				.addMetadata(deployment.namespace(), deployment.name(), marks.labels(), marks.annotations())
				.thenReturn(Progress.of("Recorded " + replicas + ((replicas == 1) ? " replica" : " replicas")))
				.flux();
		});
	}

	/**
	 * The replicas to give back: those running now; once scaled down (an idle cut short
	 * and retried), the count recorded before.
	 */
	private int replicas(DeploymentState deployment) {
		if (deployment.replicas() >= 1) {
			return deployment.replicas();
		}
		Integer recorded = this.idled.recordedReplicas(deployment.annotations());
		return (recorded != null) ? recorded : 1;
	}

}
