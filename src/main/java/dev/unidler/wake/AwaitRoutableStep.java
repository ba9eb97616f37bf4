package dev.unidler.wake;

import dev.unidler.UnidlerProperties;
import dev.unidler.app.Cluster;
import dev.unidler.operation.Progress;
import dev.unidler.operation.Triggers;
import reactor.core.publisher.Flux;

import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Waits until the Service has a ready endpoint, so that the browser's return reaches the
 * app and not a connection error.
 */
@Component
@Order(500)
final class AwaitRoutableStep implements WakeStep {

	private final Cluster cluster;

	private final UnidlerProperties.Wake settings;

	AwaitRoutableStep(Cluster cluster, UnidlerProperties properties) {
		this.cluster = cluster;
		this.settings = properties.wake();
	}

	@Override
	public String name() {
		return "await-routable";
	}

	@Override
	public String description() {
		return "Wait until the app is reachable";
	}

	@Override
	public Flux<Progress> run(App app) {
		return Triggers.of(this.cluster.endpointChanges(app.namespace(), app.service()), this.settings.recheck())
			.concatMap((trigger) -> this.cluster.readyEndpoints(app.namespace(), app.service()), 1)
			.map((ready) -> Math.max(ready, 0))
			.distinctUntilChanged()
			.takeUntil((ready) -> ready >= 1)
			.map((ready) -> Progress.of(ready + ((ready == 1) ? " endpoint" : " endpoints") + " ready"));
	}

}
