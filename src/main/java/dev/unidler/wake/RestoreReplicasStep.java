package dev.unidler.wake;

import dev.unidler.app.Cluster;
import dev.unidler.app.IdledMetadata;
import dev.unidler.operation.Progress;
import reactor.core.publisher.Flux;

import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Scales the Deployment back to the replica count it had before it was idled.
 */
@Component
@Order(100)
final class RestoreReplicasStep implements WakeStep {

	private final Cluster cluster;

	private final IdledMetadata idled;

	RestoreReplicasStep(Cluster cluster, IdledMetadata idled) {
		this.cluster = cluster;
		this.idled = idled;
	}

	@Override
	public String name() {
		return "restore-replicas";
	}

	@Override
	public String description() {
		return "Start the app";
	}

	@Override
	public Flux<Progress> run(App app) {
		return this.cluster.deployment(app.namespace(), app.deployment()).flatMapMany((deployment) -> {
			if (deployment.replicas() >= 1) {
				return Flux.just(Progress.of("Already asked for " + replicas(deployment.replicas())));
			}
			// The count the Deployment carries now, as for the Service's spec: not the
			// lookup's, which the cache may have read before an idle elsewhere saved it.
			int restored = this.idled.replicasToRestore(deployment.annotations());
			return this.cluster.scale(app.namespace(), app.deployment(), restored)
				.thenReturn(Progress.of("Asked for " + replicas(restored)))
				.flux();
		});
	}

	private static String replicas(int count) {
		return count + ((count == 1) ? " replica" : " replicas");
	}

}
