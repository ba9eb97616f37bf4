package dev.unidler.idle;

import java.util.Map;

import dev.unidler.app.Cluster;
import dev.unidler.app.SavedServiceSpecs;
import dev.unidler.app.UnidlerNames;
import dev.unidler.operation.FailureReason;
import dev.unidler.operation.OperationFailure;
import dev.unidler.operation.Progress;
import reactor.core.publisher.Flux;

/**
 * Saves the Service's spec in its annotation and switches it to {@code ExternalName} at
 * the unidler, in one write. A Service that points at the unidler already keeps the spec
 * it saved then: overwriting it with the idled spec would lose the original.
 */
final class PointServiceStep implements IdleStep {

	private final Cluster cluster;

	private final SavedServiceSpecs specs;

	private final UnidlerNames unidlerNames;

	PointServiceStep(Cluster cluster, SavedServiceSpecs specs, UnidlerNames unidlerNames) {
		this.cluster = cluster;
		this.specs = specs;
		this.unidlerNames = unidlerNames;
	}

	@Override
	public String name() {
		return "point-service";
	}

	@Override
	public String description() {
		return "Send the app's traffic to the unidler";
	}

	@Override
	public Flux<Progress> run(IdleApp app) {
		return this.cluster.service(app.namespace(), app.service().name()).flatMapMany((service) -> {
			if (this.unidlerNames.pointsAtUnidler(service)) {
				return Flux.just(Progress.of("The Service already points at the unidler"));
			}
			if (!"ClusterIP".equals(service.type())) {
				return Flux.error(new OperationFailure(FailureReason.INVALID_APP, "The app's Service changed to type "
						+ service.type() + " while it was idled; it was left alone."));
			}
			Map<String, String> saved = Map.of(this.specs.annotation(), this.specs.write(service.spec()));
			return this.cluster.pointAtUnidler(service, this.unidlerNames.idledName(), saved)
				.thenReturn(Progress.of("The Service points at the unidler; its spec is saved"))
				.flux();
		});
	}

}
