package dev.unidler.app;

import java.util.List;
import java.util.Map;
import java.util.Set;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * What the wake and the idle ask of Kubernetes. Every write is idempotent: applying it
 * twice leaves the same state. Failures arrive as {@link ClusterException}.
 */
public interface Cluster {

	/**
	 * Whether lookups can be trusted: whatever the port reads from has seen the cluster
	 * once. Until then the instance is not ready.
	 */
	default boolean isSynced() {
		return true;
	}

	/** Deployments in every namespace that carry the app's lookup label. */
	Mono<List<DeploymentState>> findDeployments(AppKey key);

	/** Services in every namespace that carry the app's lookup label. */
	Mono<List<ServiceState>> findServices(AppKey key);

	/** Every app's Deployment: those that carry the lookup label, whatever its value. */
	Mono<List<DeploymentState>> managedDeployments();

	/**
	 * Every Ingress in the cluster, with the hosts its rules claim: which namespace owns
	 * a host that apps in several namespaces carry.
	 */
	Mono<List<IngressState>> ingresses();

	/** A Deployment read fresh: what a decision to write rests on. */
	Mono<DeploymentState> deployment(String namespace, String name);

	/**
	 * A Deployment as last seen, for waiting on it: may lag the API by an event, and
	 * costs no request when the unidler keeps it (it carries the lookup label).
	 */
	default Mono<DeploymentState> observedDeployment(String namespace, String name) {
		return deployment(namespace, name);
	}

	/** A Service read fresh. */
	Mono<ServiceState> service(String namespace, String name);

	/** Sets the desired replica count. */
	Mono<Void> scale(String namespace, String deployment, int replicas);

	/** Removes labels and annotations from a Deployment; absent ones are fine. */
	Mono<Void> removeMetadata(String namespace, String deployment, Set<String> labels, Set<String> annotations);

	/**
	 * Points a Service back at its pods with exactly the given spec, dropping its
	 * {@code externalName}, the selector labels and ports it has now but the spec lacks,
	 * and the given annotations.
	 */
	Mono<Void> restoreService(ServiceState current, ServiceSpec spec, Set<String> annotations);

	/** Adds labels and annotations to a Deployment, or sets their values. */
	Mono<Void> addMetadata(String namespace, String deployment, Map<String, String> labels,
			Map<String, String> annotations);

	/**
	 * Sends a Service's traffic to the unidler: {@code ExternalName} at the given name,
	 * no selector, and the given annotations set, in one write.
	 */
	Mono<Void> pointAtUnidler(ServiceState current, String externalName, Map<String, String> annotations);

	/** Problems of the pods matching a selector. */
	Mono<List<PodProblem>> podProblems(String namespace, Map<String, String> selector);

	/** How many ready endpoints the Service has. */
	Mono<Integer> readyEndpoints(String namespace, String service);

	/**
	 * Emits whenever the Deployment may have changed. Never completes; a signal carries
	 * no state: read {@link #observedDeployment}.
	 */
	Flux<?> deploymentChanges(String namespace, String deployment);

	/**
	 * Emits whenever the Service's endpoints may have changed, like
	 * {@link #deploymentChanges}.
	 */
	Flux<?> endpointChanges(String namespace, String service);

}
