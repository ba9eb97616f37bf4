package dev.unidler.idle;

import dev.unidler.app.Cluster;
import dev.unidler.operation.Progress;
import reactor.core.publisher.Flux;

/** Scales the Deployment to zero, once its traffic goes to the unidler. */
final class ScaleDownStep implements IdleStep {

	private final Cluster cluster;

	ScaleDownStep(Cluster cluster) {
		this.cluster = cluster;
	}

	@Override
	public String name() {
		return "scale-down";
	}

	@Override
	public String description() {
		return "Stop the app's pods";
	}

	@Override
	public Flux<Progress> run(IdleApp app) {
		return this.cluster.deployment(app.namespace(), app.deployment().name()).flatMapMany((deployment) -> {
			if (deployment.replicas() == 0) {
				return Flux.just(Progress.of("Already at 0 replicas"));
			}
			return this.cluster.scale(deployment.namespace(), deployment.name(), 0)
				.thenReturn(Progress.of("Scaled to 0 replicas"))
				.flux();
		});
	}

}
