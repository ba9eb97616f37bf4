package dev.unidler.wake;

import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.unidler.UnidlerProperties;
import dev.unidler.app.AppKey;
import dev.unidler.app.Cluster;
import dev.unidler.app.DeploymentState;
import dev.unidler.app.ServiceState;
import dev.unidler.operation.FailureReason;
import dev.unidler.operation.OperationFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

/**
 * Finds the one Deployment and the one Service of an app, cluster-wide, and plans what
 * they get back. Changes nothing: a wake that cannot go ahead fails here, before any
 * write.
 */
@Component
final class AppLocator {

	private static final Logger logger = LoggerFactory.getLogger(AppLocator.class);

	private final Cluster cluster;

	private final IdledMetadata idled;

	private final SavedServiceSpecs serviceSpecs;

	private final int minAvailable;

	AppLocator(Cluster cluster, IdledMetadata idled, SavedServiceSpecs serviceSpecs, UnidlerProperties properties) {
		this.cluster = cluster;
		this.minAvailable = properties.wake().minAvailable();
		this.idled = idled;
		this.serviceSpecs = serviceSpecs;
	}

	Mono<Located> locate(AppKey key) {
		return Mono.zip(this.cluster.findDeployments(key), this.cluster.findServices(key))
			.map((found) -> plan(key, found.getT1(), found.getT2()));
	}

	private Located plan(AppKey key, List<DeploymentState> deployments, List<ServiceState> services) {
		if (deployments.isEmpty() && services.isEmpty()) {
			throw new OperationFailure(FailureReason.UNKNOWN_APP,
					"No app is registered for " + key.host() + ". Check the address, or ask the platform team.");
		}
		DeploymentState deployment = single(key, "Deployment", deployments, DeploymentState::qualifiedName);
		ServiceState service = single(key, "Service", services, ServiceState::qualifiedName);
		if (!deployment.namespace().equals(service.namespace())) {
			throw new OperationFailure(FailureReason.INVALID_APP,
					"The app's Deployment and Service are in different namespaces, so nothing was changed.",
					new IllegalStateException("Deployment " + deployment.qualifiedName() + " and Service "
							+ service.qualifiedName() + " both carry " + key.selector()));
		}
		App app = new App(key, deployment.namespace(), deployment.name(), service.name(),
				this.idled.replicasToRestore(deployment.annotations()), this.serviceSpecs.restoreFor(service));
		boolean awake = deployment.isAvailable(this.minAvailable) && !this.idled.isPresent(deployment)
				&& !service.pointsAtUnidler();
		logger.debug("Located {} for {}: replicas to restore {}, awake {}", app.qualifiedName(), key, app.replicas(),
				awake);
		return new Located(app, awake);
	}

	private static <T> T single(AppKey key, String kind, List<T> found, Function<T, String> name) {
		if (found.isEmpty()) {
			throw new OperationFailure(FailureReason.UNKNOWN_APP,
					"The app for " + key.host() + " is only partly set up (it has no " + kind
							+ "), so nothing was changed. Ask the platform team.");
		}
		if (found.size() > 1) {
			throw new OperationFailure(FailureReason.AMBIGUOUS_APP,
					"Several apps answer to " + key.host()
							+ ", so none was woken. The platform team needs to label only one.",
					new IllegalStateException(found.size() + " " + kind + "s carry " + key.selector() + ": "
							+ found.stream().map(name).collect(Collectors.joining(", "))));
		}
		return found.get(0);
	}

	/**
	 * The outcome of a lookup.
	 *
	 * @param app the app and its plan
	 * @param awake whether it already serves: available, no idled metadata, and its
	 * Service no longer points at the unidler
	 */
	record Located(App app, boolean awake) {

	}

}
