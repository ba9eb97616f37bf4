package dev.unidler.wake;

import dev.unidler.app.Cluster;
import dev.unidler.app.IdledMetadata;
import dev.unidler.operation.Progress;
import reactor.core.publisher.Flux;

import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Removes the idled label and annotations, so the idler and the unidler both see the app
 * as awake.
 */
@Component
@Order(300)
final class StripIdledMetadataStep implements WakeStep {

	private final Cluster cluster;

	private final IdledMetadata idled;

	StripIdledMetadataStep(Cluster cluster, IdledMetadata idled) {
		this.cluster = cluster;
		this.idled = idled;
	}

	@Override
	public String name() {
		return "mark-awake";
	}

	@Override
	public String description() {
		return "Mark the app awake";
	}

	@Override
	public Flux<Progress> run(App app) {
		return this.cluster.deployment(app.namespace(), app.deployment()).flatMapMany((deployment) -> {
			if (!this.idled.isPresent(deployment)) {
				return Flux.just(Progress.of("Already marked awake"));
			}
			return this.cluster
				.removeMetadata(app.namespace(), app.deployment(), this.idled.labels(), this.idled.annotations())
				.thenReturn(Progress.of("Removed the idled marks"))
				.flux();
		});
	}

}
