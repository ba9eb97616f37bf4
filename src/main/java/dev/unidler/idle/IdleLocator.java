package dev.unidler.idle;

import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.unidler.UnidlerProperties;
import dev.unidler.app.AppKey;
import dev.unidler.app.Cluster;
import dev.unidler.app.ClusterException;
import dev.unidler.app.DeploymentState;
import dev.unidler.app.IdledMetadata;
import dev.unidler.app.ServiceState;
import dev.unidler.app.UnidlerNames;
import dev.unidler.operation.FailureReason;
import dev.unidler.operation.OperationFailure;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

/**
 * Finds the Deployment and Service an idle is for, and refuses an app it must not touch.
 * Changes nothing.
 */
@Component
final class IdleLocator {

	static final String NOT_FOUND = "Application not found.";

	private final Cluster cluster;

	private final IdledMetadata idled;

	private final UnidlerNames unidlerNames;

	private final String lookupLabel;

	IdleLocator(Cluster cluster, IdledMetadata idled, UnidlerNames unidlerNames, UnidlerProperties properties) {
		this.cluster = cluster;
		this.idled = idled;
		this.unidlerNames = unidlerNames;
		this.lookupLabel = properties.labels().lookup();
	}

	/**
	 * The app a caller named, idled or not, for deciding whether the caller may know
	 * anything about it before saying more.
	 */
	Mono<IdleApp> find(IdleTarget target) {
		return switch (target) {
			case IdleTarget.Host host ->
				Mono.zip(this.cluster.findDeployments(host.key()), this.cluster.findServices(host.key()))
					.map((found) -> app(host.key(),
							single(host.key(), "Deployment", found.getT1(), DeploymentState::qualifiedName),
							found.getT2()));
			case IdleTarget.Named named -> this.cluster.deployment(named.namespace(), named.name())
				.onErrorMap(IdleLocator::isNotFound,
						(error) -> new OperationFailure(FailureReason.UNKNOWN_APP, NOT_FOUND))
				.flatMap((deployment) -> {
					String value = deployment.labels().get(this.lookupLabel);
					if (value == null || value.isBlank()) {
						// Not an app of the unidler's: nothing routes to it by host.
						return Mono.error(new OperationFailure(FailureReason.UNKNOWN_APP, NOT_FOUND));
					}
					AppKey key = new AppKey(value, this.lookupLabel, value);
					return this.cluster.findServices(key).map((services) -> app(key, deployment, services));
				});
		};
	}

	/**
	 * The app, checked for an idle: its Service is one the wake can give back exactly,
	 * and it was not stopped on purpose.
	 */
	Mono<Located> locate(IdleTarget target) {
		return find(target).map(this::check);
	}

	private IdleApp app(AppKey key, DeploymentState deployment, List<ServiceState> services) {
		List<ServiceState> inNamespace = services.stream()
			.filter((service) -> service.namespace().equals(deployment.namespace()))
			.toList();
		ServiceState service = single(key, "Service", inNamespace, ServiceState::qualifiedName);
		return new IdleApp(key, deployment, service);
	}

	private Located check(IdleApp app) {
		ServiceState service = app.service();
		DeploymentState deployment = app.deployment();
		boolean routedHere = this.unidlerNames.pointsAtUnidler(service);
		if (this.unidlerNames.pointsElsewhere(service)) {
			throw new OperationFailure(FailureReason.INVALID_APP,
					"The app's Service sends its traffic somewhere else, not to its pods, so it was not idled.");
		}
		if (!routedHere && !"ClusterIP".equals(service.type())) {
			throw new OperationFailure(FailureReason.INVALID_APP, "The app's Service is of type " + service.type()
					+ "; only ClusterIP Services are idled, so that waking can never open a port on the nodes.");
		}
		boolean marked = this.idled.isPresent(deployment);
		if (deployment.replicas() == 0 && !marked && !routedHere) {
			throw new OperationFailure(FailureReason.INVALID_APP,
					"The app is scaled to zero on purpose, not idled, so the unidler leaves it alone.");
		}
		boolean idled = this.idled.isComplete(deployment) && routedHere && deployment.replicas() == 0;
		return new Located(app, idled);
	}

	private static <T> T single(AppKey key, String kind, List<T> found, Function<T, String> name) {
		if (found.isEmpty()) {
			throw new OperationFailure(FailureReason.UNKNOWN_APP, NOT_FOUND);
		}
		if (found.size() > 1) {
			throw new OperationFailure(FailureReason.AMBIGUOUS_APP,
					"Several apps answer to " + key.host() + ", so none was idled.",
					new IllegalStateException(found.size() + " " + kind + "s carry " + key.selector() + ": "
							+ found.stream().map(name).collect(Collectors.joining(", "))));
		}
		return found.get(0);
	}

	private static boolean isNotFound(Throwable error) {
		return error instanceof ClusterException cluster && cluster.status() == 404;
	}

	/**
	 * The outcome of a lookup.
	 *
	 * @param app the app
	 * @param idled whether it is idled already: every mark, the Service at the unidler
	 * and no replicas
	 */
	record Located(IdleApp app, boolean idled) {

	}

}
