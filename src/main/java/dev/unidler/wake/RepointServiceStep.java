package dev.unidler.wake;

import java.util.Set;

import dev.unidler.app.Cluster;
import dev.unidler.app.SavedServiceSpecs;
import dev.unidler.app.UnidlerNames;
import dev.unidler.operation.Progress;
import reactor.core.publisher.Flux;

import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Points the app's Service back at its pods instead of the unidler. A Service that points
 * anywhere else is left as it is.
 */
@Component
@Order(400)
final class RepointServiceStep implements WakeStep {

	private final Cluster cluster;

	private final SavedServiceSpecs serviceSpecs;

	private final UnidlerNames unidlerNames;

	RepointServiceStep(Cluster cluster, SavedServiceSpecs serviceSpecs, UnidlerNames unidlerNames) {
		this.cluster = cluster;
		this.serviceSpecs = serviceSpecs;
		this.unidlerNames = unidlerNames;
	}

	@Override
	public String name() {
		return "repoint-service";
	}

	@Override
	public String description() {
		return "Send traffic back to the app";
	}

	@Override
	public Flux<Progress> run(App app) {
		return this.cluster.service(app.namespace(), app.service()).flatMapMany((service) -> {
			// Only a Service that points at the unidler is ours to repoint.
			if (!this.unidlerNames.pointsAtUnidler(service)) {
				return Flux.just(Progress.of("Traffic already goes to the app"));
			}
			// The spec saved on the Service as read now, not as the lookup found it: the
			// cache may not yet show what an idle on another replica saved just before it
			// let this wake go ahead.
			return this.cluster
				.restoreService(service, this.serviceSpecs.restoreFor(service), Set.of(this.serviceSpecs.annotation()))
				.thenReturn(Progress.of("Traffic goes to the app again"))
				.flux();
		});
	}

}
