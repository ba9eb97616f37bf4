package dev.unidler.kubernetes;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import dev.unidler.app.AppKey;
import dev.unidler.app.Cluster;
import dev.unidler.app.DeploymentState;
import dev.unidler.app.IngressState;
import dev.unidler.app.PodProblem;
import dev.unidler.app.ServiceSpec;
import dev.unidler.app.ServiceState;
import io.kubernetes.client.custom.IntOrString;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.apis.NetworkingV1Api;
import io.kubernetes.client.openapi.models.V1ContainerStatus;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Endpoint;
import io.kubernetes.client.openapi.models.V1EndpointSlice;
import io.kubernetes.client.openapi.models.V1Ingress;
import io.kubernetes.client.openapi.models.V1IngressRule;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodCondition;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServicePort;
import io.kubernetes.client.openapi.models.V1ServiceSpec;
import io.kubernetes.client.util.PatchUtils;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@link Cluster} on client-java. Lookups and waits read the shared cache of labelled
 * objects; the reads a write rests on are fresh GETs; writes are strategic-merge patches
 * to the desired state, so repeating one changes nothing.
 */
final class KubernetesCluster implements Cluster {

	/** Container states that do not fix themselves by waiting. */
	private static final Set<String> FATAL_WAITING_REASONS = Set.of("ImagePullBackOff", "InvalidImageName",
			"ErrImageNeverPull", "CrashLoopBackOff", "CreateContainerConfigError", "CreateContainerError",
			"RunContainerError");

	private final ApiClient client;

	private final AppsV1Api apps;

	private final CoreV1Api core;

	private final NetworkingV1Api networking;

	private final BlockingCalls calls;

	private final NamespaceScope scope;

	private final ClusterCache cache;

	KubernetesCluster(ApiClient client, BlockingCalls calls, NamespaceScope scope, ClusterCache cache) {
		this.scope = scope;
		this.cache = cache;
		this.client = client;
		this.apps = new AppsV1Api(client);
		this.core = new CoreV1Api(client);
		this.networking = new NetworkingV1Api(client);
		this.calls = calls;
	}

	@Override
	public boolean isSynced() {
		return this.cache.hasSynced();
	}

	/** From the cache: a lookup, of a known or an unknown host, asks the API nothing. */
	@Override
	public Mono<List<DeploymentState>> findDeployments(AppKey key) {
		return this.cache.deployments(key.value())
			.map((list) -> list.stream().map(KubernetesCluster::deploymentState).toList());
	}

	@Override
	public Mono<List<DeploymentState>> managedDeployments() {
		return this.cache.deployments().map((list) -> list.stream().map(KubernetesCluster::deploymentState).toList());
	}

	@Override
	public Mono<List<ServiceState>> findServices(AppKey key) {
		return this.cache.services(key.value())
			.map((list) -> list.stream().map(KubernetesCluster::serviceState).toList());
	}

	@Override
	public Mono<List<IngressState>> ingresses() {
		return this.scope
			.list("list Ingresses",
					(namespace) -> () -> this.networking.listNamespacedIngress(namespace).execute().getItems(),
					() -> this.networking.listIngressForAllNamespaces().execute().getItems())
			.map((list) -> list.stream().map(KubernetesCluster::ingressState).toList());
	}

	@Override
	public Mono<DeploymentState> deployment(String namespace, String name) {
		return this.calls
			.call("read Deployment " + namespace + "/" + name,
					() -> this.apps.readNamespacedDeployment(name, namespace).execute())
			.map(KubernetesCluster::deploymentState);
	}

	@Override
	public Mono<DeploymentState> observedDeployment(String namespace, String name) {
		return this.cache.deployment(namespace, name)
			.map(KubernetesCluster::deploymentState)
			.switchIfEmpty(Mono.defer(() -> deployment(namespace, name)));
	}

	@Override
	public Mono<ServiceState> service(String namespace, String name) {
		return this.calls
			.call("read Service " + namespace + "/" + name,
					() -> this.core.readNamespacedService(name, namespace).execute())
			.map(KubernetesCluster::serviceState);
	}

	@Override
	public Mono<Void> scale(String namespace, String deployment, int replicas) {
		return patchDeployment(namespace, deployment, StrategicMergePatches.scale(replicas));
	}

	@Override
	public Mono<Void> removeMetadata(String namespace, String deployment, Set<String> labels, Set<String> annotations) {
		return patchDeployment(namespace, deployment, StrategicMergePatches.removeMetadata(labels, annotations));
	}

	@Override
	public Mono<Void> restoreService(ServiceState current, ServiceSpec spec, Set<String> annotations) {
		String namespace = current.namespace();
		String service = current.name();
		V1Patch patch = new V1Patch(StrategicMergePatches.restoreService(current, spec, annotations));
		return strategicMerge("patch Service " + namespace + "/" + service, V1Service.class,
				() -> this.core.patchNamespacedService(service, namespace, patch).buildCall(null));
	}

	@Override
	public Mono<Void> addMetadata(String namespace, String deployment, Map<String, String> labels,
			Map<String, String> annotations) {
		return patchDeployment(namespace, deployment, StrategicMergePatches.addMetadata(labels, annotations));
	}

	@Override
	public Mono<Void> pointAtUnidler(ServiceState current, String externalName, Map<String, String> annotations) {
		String namespace = current.namespace();
		String service = current.name();
		V1Patch patch = new V1Patch(StrategicMergePatches.pointAtUnidler(externalName, annotations));
		return strategicMerge("patch Service " + namespace + "/" + service, V1Service.class,
				() -> this.core.patchNamespacedService(service, namespace, patch).buildCall(null));
	}

	private Mono<Void> patchDeployment(String namespace, String deployment, String body) {
		V1Patch patch = new V1Patch(body);
		return strategicMerge("patch Deployment " + namespace + "/" + deployment, V1Deployment.class,
				() -> this.apps.patchNamespacedDeployment(deployment, namespace, patch).buildCall(null));
	}

	/**
	 * Sends a strategic-merge patch with this cluster's client, never the global default.
	 */
	private <T> Mono<Void> strategicMerge(String description, Class<T> type, PatchUtils.PatchCallFunc call) {
		return this.calls
			.call(description,
					() -> PatchUtils.patch(type, call, V1Patch.PATCH_FORMAT_STRATEGIC_MERGE_PATCH, this.client))
			.then();
	}

	@Override
	public Mono<List<PodProblem>> podProblems(String namespace, Map<String, String> selector) {
		return this.calls
			.call("list Pods in " + namespace,
					() -> this.core.listNamespacedPod(namespace).labelSelector(labelSelector(selector)).execute())
			.map((pods) -> pods.getItems()
				.stream()
				.filter((pod) -> pod.getMetadata() != null && pod.getMetadata().getDeletionTimestamp() == null)
				.map(KubernetesCluster::problem)
				.filter(Objects::nonNull)
				.toList());
	}

	@Override
	public Mono<Integer> readyEndpoints(String namespace, String service) {
		return this.cache.endpointSlices(namespace, service)
			.map((slices) -> (int) slices.stream()
				.map(V1EndpointSlice::getEndpoints)
				.filter(Objects::nonNull)
				.flatMap(List::stream)
				.filter(KubernetesCluster::isReady)
				.count());
	}

	@Override
	public Flux<?> deploymentChanges(String namespace, String deployment) {
		return this.cache.deploymentChanges(namespace, deployment);
	}

	@Override
	public Flux<?> endpointChanges(String namespace, String service) {
		return this.cache.endpointChanges(namespace, service);
	}

	private static DeploymentState deploymentState(V1Deployment deployment) {
		V1ObjectMeta metadata = Objects.requireNonNull(deployment.getMetadata());
		var spec = deployment.getSpec();
		var status = deployment.getStatus();
		// Kubernetes defaults an unset replica count to 1.
		int replicas = (spec != null && spec.getReplicas() != null) ? spec.getReplicas() : 1;
		int available = (status != null && status.getAvailableReplicas() != null) ? status.getAvailableReplicas() : 0;
		Map<String, String> selector = (spec != null && spec.getSelector().getMatchLabels() != null)
				? spec.getSelector().getMatchLabels() : Map.of();
		return new DeploymentState(metadata.getNamespace(), metadata.getName(), replicas, available,
				orEmpty(metadata.getLabels()), orEmpty(metadata.getAnnotations()), selector);
	}

	static ServiceState serviceState(V1Service service) {
		V1ObjectMeta metadata = Objects.requireNonNull(service.getMetadata());
		V1ServiceSpec spec = (service.getSpec() != null) ? service.getSpec() : new V1ServiceSpec();
		String type = (spec.getType() != null) ? spec.getType() : "ClusterIP";
		List<ServiceSpec.Port> ports = (spec.getPorts() != null)
				? spec.getPorts().stream().map(KubernetesCluster::port).toList() : List.of();
		Integer timeout = (spec.getSessionAffinityConfig() != null
				&& spec.getSessionAffinityConfig().getClientIP() != null)
						? spec.getSessionAffinityConfig().getClientIP().getTimeoutSeconds() : null;
		ServiceSpec.Routing routing = new ServiceSpec.Routing("None".equals(spec.getClusterIP()),
				spec.getSessionAffinity(), timeout, spec.getPublishNotReadyAddresses(), spec.getInternalTrafficPolicy(),
				spec.getTrafficDistribution(), spec.getIpFamilyPolicy(),
				(spec.getIpFamilies() != null) ? spec.getIpFamilies() : List.of());
		return new ServiceState(metadata.getNamespace(), metadata.getName(),
				new ServiceSpec(type, orEmpty(spec.getSelector()), ports, routing), spec.getExternalName(),
				orEmpty(metadata.getLabels()), orEmpty(metadata.getAnnotations()));
	}

	private static ServiceSpec.Port port(V1ServicePort port) {
		IntOrString target = port.getTargetPort();
		String targetPort = (target == null) ? String.valueOf(port.getPort())
				: target.isInteger() ? String.valueOf(target.getIntValue()) : target.getStrValue();
		return new ServiceSpec.Port(port.getName(), port.getPort(), targetPort,
				(port.getProtocol() != null) ? port.getProtocol() : "TCP", port.getAppProtocol());
	}

	private static IngressState ingressState(V1Ingress ingress) {
		V1ObjectMeta metadata = Objects.requireNonNull(ingress.getMetadata());
		List<V1IngressRule> rules = (ingress.getSpec() != null && ingress.getSpec().getRules() != null)
				? ingress.getSpec().getRules() : List.of();
		List<String> hosts = rules.stream().map(V1IngressRule::getHost).filter(Objects::nonNull).toList();
		Instant created = (metadata.getCreationTimestamp() != null) ? metadata.getCreationTimestamp().toInstant()
				: Instant.MAX;
		return new IngressState(metadata.getNamespace(), metadata.getName(), created, hosts);
	}

	private static @Nullable PodProblem problem(V1Pod pod) {
		String name = pod.getMetadata().getName();
		var status = pod.getStatus();
		if (status == null) {
			return null;
		}
		List<V1ContainerStatus> containers = new ArrayList<>();
		if (status.getInitContainerStatuses() != null) {
			containers.addAll(status.getInitContainerStatuses());
		}
		if (status.getContainerStatuses() != null) {
			containers.addAll(status.getContainerStatuses());
		}
		for (V1ContainerStatus container : containers) {
			var waiting = (container.getState() != null) ? container.getState().getWaiting() : null;
			if (waiting != null && waiting.getReason() != null && (FATAL_WAITING_REASONS.contains(waiting.getReason())
					|| "ErrImagePull".equals(waiting.getReason()))) {
				return new PodProblem(name, waiting.getReason(), orEmpty(waiting.getMessage()),
						FATAL_WAITING_REASONS.contains(waiting.getReason()));
			}
		}
		if (status.getConditions() != null) {
			for (V1PodCondition condition : status.getConditions()) {
				if ("PodScheduled".equals(condition.getType()) && "False".equals(condition.getStatus())
						&& "Unschedulable".equals(condition.getReason())) {
					return new PodProblem(name, "Unschedulable", orEmpty(condition.getMessage()), false);
				}
			}
		}
		return null;
	}

	/**
	 * An endpoint whose readiness is unknown counts as ready, as Kubernetes documents.
	 */
	private static boolean isReady(V1Endpoint endpoint) {
		return endpoint.getConditions() == null || !Boolean.FALSE.equals(endpoint.getConditions().getReady());
	}

	private static String labelSelector(Map<String, String> labels) {
		return labels.entrySet()
			.stream()
			.sorted(Map.Entry.comparingByKey())
			.map((label) -> label.getKey() + "=" + label.getValue())
			.collect(Collectors.joining(","));
	}

	private static Map<String, String> orEmpty(@Nullable Map<String, String> map) {
		return (map != null) ? map : Map.of();
	}

	private static String orEmpty(@Nullable String text) {
		return (text != null) ? text : "";
	}

}
