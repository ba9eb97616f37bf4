package dev.unidler.kubernetes;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.unidler.app.ClusterException;
import dev.unidler.restart.Workload;
import dev.unidler.restart.WorkloadRef;
import dev.unidler.restart.WorkloadRollout;
import dev.unidler.restart.Workloads;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1DeploymentCondition;
import io.kubernetes.client.openapi.models.V1LabelSelector;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import io.kubernetes.client.util.PatchUtils;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@link Workloads} on client-java. Finding workloads and following a rollout read the
 * shared cache of labelled workloads and react to its events; the read just before a
 * restart's patch is a fresh GET, and so is following a workload the cache does not hold
 * (one without the lookup label), re-read at each periodic re-check.
 */
final class KubernetesWorkloads implements Workloads {

	private final ApiClient client;

	private final AppsV1Api apps;

	private final BlockingCalls calls;

	private final ClusterCache cache;

	KubernetesWorkloads(ApiClient client, BlockingCalls calls, ClusterCache cache) {
		this.client = client;
		this.apps = new AppsV1Api(client);
		this.calls = calls;
		this.cache = cache;
	}

	@Override
	public Mono<List<Workload>> find(String lookupValue) {
		return all(this.cache.deployments(lookupValue), this.cache.statefulSets(lookupValue));
	}

	@Override
	public Mono<List<Workload>> managed() {
		return all(this.cache.deployments(), this.cache.statefulSets());
	}

	private static Mono<List<Workload>> all(Mono<List<V1Deployment>> deployments,
			Mono<List<V1StatefulSet>> statefulSets) {
		return Mono.zip(deployments, statefulSets).map((found) -> {
			List<Workload> all = new ArrayList<>();
			found.getT1().forEach((deployment) -> all.add(deployment(deployment)));
			found.getT2().forEach((statefulSet) -> all.add(statefulSet(statefulSet)));
			return List.copyOf(all);
		});
	}

	@Override
	public Mono<Workload> get(WorkloadRef ref) {
		Mono<Workload> workload = isStatefulSet(ref)
				? this.calls
					.call("read " + ref,
							() -> this.apps.readNamespacedStatefulSet(ref.name(), ref.namespace()).execute())
					.map(KubernetesWorkloads::statefulSet)
				: this.calls
					.call("read " + ref,
							() -> this.apps.readNamespacedDeployment(ref.name(), ref.namespace()).execute())
					.map(KubernetesWorkloads::deployment);
		return workload.onErrorResume(ClusterException.class,
				(ex) -> (ex.status() == 404) ? Mono.empty() : Mono.error(ex));
	}

	@Override
	public Mono<Workload> observe(WorkloadRef ref) {
		Mono<Workload> cached = isStatefulSet(ref)
				? this.cache.statefulSet(ref.namespace(), ref.name()).map(KubernetesWorkloads::statefulSet)
				: this.cache.deployment(ref.namespace(), ref.name()).map(KubernetesWorkloads::deployment);
		return cached.switchIfEmpty(Mono.defer(() -> get(ref)));
	}

	@Override
	public Mono<Void> restart(WorkloadRef ref, Map<String, String> workloadAnnotations,
			Map<String, String> templateAnnotations) {
		V1Patch patch = new V1Patch(StrategicMergePatches.restart(workloadAnnotations, templateAnnotations));
		PatchUtils.PatchCallFunc call = isStatefulSet(ref)
				? () -> this.apps.patchNamespacedStatefulSet(ref.name(), ref.namespace(), patch).buildCall(null)
				: () -> this.apps.patchNamespacedDeployment(ref.name(), ref.namespace(), patch).buildCall(null);
		Class<?> type = isStatefulSet(ref) ? V1StatefulSet.class : V1Deployment.class;
		// This cluster's client, never the global default.
		return this.calls
			.call("patch " + ref,
					() -> PatchUtils.patch(type, call, V1Patch.PATCH_FORMAT_STRATEGIC_MERGE_PATCH, this.client))
			.then();
	}

	@Override
	public Flux<?> changes(WorkloadRef ref) {
		return isStatefulSet(ref) ? this.cache.statefulSetChanges(ref.namespace(), ref.name())
				: this.cache.deploymentChanges(ref.namespace(), ref.name());
	}

	private static boolean isStatefulSet(WorkloadRef ref) {
		return WorkloadRollout.STATEFUL_SET.equals(ref.kind());
	}

	static Workload deployment(V1Deployment deployment) {
		V1ObjectMeta metadata = Objects.requireNonNull(deployment.getMetadata());
		var spec = Objects.requireNonNull(deployment.getSpec());
		var status = deployment.getStatus();
		boolean deadlineExceeded = status != null && status.getConditions() != null
				&& status.getConditions().stream().anyMatch(KubernetesWorkloads::progressDeadlineExceeded);
		WorkloadRollout rollout = new WorkloadRollout(WorkloadRollout.DEPLOYMENT, generation(metadata),
				(status != null) ? orZero(status.getObservedGeneration()) : 0, replicas(spec.getReplicas()),
				(status != null) ? orZero(status.getReplicas()) : 0,
				(status != null) ? orZero(status.getUpdatedReplicas()) : 0,
				(status != null) ? orZero(status.getReadyReplicas()) : 0,
				(status != null) ? orZero(status.getAvailableReplicas()) : 0, deadlineExceeded, true, 0, null, null);
		return workload(WorkloadRollout.DEPLOYMENT, metadata, spec.getTemplate().getMetadata(), spec.getSelector(),
				rollout);
	}

	static Workload statefulSet(V1StatefulSet statefulSet) {
		V1ObjectMeta metadata = Objects.requireNonNull(statefulSet.getMetadata());
		var spec = Objects.requireNonNull(statefulSet.getSpec());
		var status = statefulSet.getStatus();
		var strategy = spec.getUpdateStrategy();
		// RollingUpdate is the default strategy.
		boolean rolling = strategy == null || strategy.getType() == null || "RollingUpdate".equals(strategy.getType());
		int partition = (strategy != null && strategy.getRollingUpdate() != null)
				? orZero(strategy.getRollingUpdate().getPartition()) : 0;
		WorkloadRollout rollout = new WorkloadRollout(WorkloadRollout.STATEFUL_SET, generation(metadata),
				(status != null) ? orZero(status.getObservedGeneration()) : 0, replicas(spec.getReplicas()),
				(status != null) ? orZero(status.getReplicas()) : 0,
				(status != null) ? orZero(status.getUpdatedReplicas()) : 0,
				(status != null) ? orZero(status.getReadyReplicas()) : 0,
				(status != null) ? orZero(status.getAvailableReplicas()) : 0, false, rolling, partition,
				(status != null) ? status.getCurrentRevision() : null,
				(status != null) ? status.getUpdateRevision() : null);
		return workload(WorkloadRollout.STATEFUL_SET, metadata, spec.getTemplate().getMetadata(), spec.getSelector(),
				rollout);
	}

	private static Workload workload(String kind, V1ObjectMeta metadata, @Nullable V1ObjectMeta template,
			@Nullable V1LabelSelector selector, WorkloadRollout rollout) {
		Map<String, String> matchLabels = (selector != null && selector.getMatchLabels() != null)
				? selector.getMatchLabels() : Map.of();
		return new Workload(new WorkloadRef(kind, metadata.getNamespace(), metadata.getName()),
				orEmpty(metadata.getLabels()), orEmpty(metadata.getAnnotations()),
				(template != null) ? orEmpty(template.getAnnotations()) : Map.of(), matchLabels, rollout);
	}

	private static boolean progressDeadlineExceeded(V1DeploymentCondition condition) {
		return "Progressing".equals(condition.getType()) && "ProgressDeadlineExceeded".equals(condition.getReason());
	}

	private static long generation(V1ObjectMeta metadata) {
		return (metadata.getGeneration() != null) ? metadata.getGeneration() : 0;
	}

	/** Kubernetes defaults an unset replica count to 1. */
	private static int replicas(@Nullable Integer replicas) {
		return (replicas != null) ? replicas : 1;
	}

	private static long orZero(@Nullable Long value) {
		return (value != null) ? value : 0;
	}

	private static int orZero(@Nullable Integer value) {
		return (value != null) ? value : 0;
	}

	private static Map<String, String> orEmpty(@Nullable Map<String, String> map) {
		return (map != null) ? map : Map.of();
	}

}
