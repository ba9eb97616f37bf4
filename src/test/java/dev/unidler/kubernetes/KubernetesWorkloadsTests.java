package dev.unidler.kubernetes;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import dev.unidler.cluster.RealCluster;
import dev.unidler.cluster.TestCluster;
import dev.unidler.cluster.TestNamespace;
import dev.unidler.restart.RolloutStatus;
import dev.unidler.restart.WorkloadRef;
import dev.unidler.restart.WorkloadRollout;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1DeploymentSpec;
import io.kubernetes.client.openapi.models.V1LabelSelector;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1PodTemplateSpec;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import io.kubernetes.client.openapi.models.V1StatefulSetSpec;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A restart as {@code kubectl rollout restart} does it, against the real control plane:
 * one patch of the pod template's annotations, after which the controllers replace every
 * pod, and the rollout rules see it through to the end, for Deployments and StatefulSets,
 * followed through the cache (labelled workloads) or fresh reads (others).
 */
@RealCluster
class KubernetesWorkloadsTests {

	private static final Duration ROLLOUT = Duration.ofSeconds(60);

	/** Quotes, a newline and an attempt to break out of a JSON string. */
	private static final String REASON = "data \"updated\"\nby 'nightly' \"},\"x\":\"";

	private static final String LOOKUP_LABEL = "host";

	private Scheduler scheduler;

	private ClusterCache cache;

	private KubernetesWorkloads workloads;

	@BeforeEach
	void workloads(TestCluster cluster, TestNamespace namespace) {
		this.scheduler = Schedulers.newBoundedElastic(8, 100, "kubernetes");
		this.cache = new ClusterCache(ApiClients.forWatching(cluster.apiClient()), LOOKUP_LABEL,
				List.of(namespace.name()), this.scheduler);
		this.cache.start();
		this.workloads = new KubernetesWorkloads(cluster.apiClient(), new BlockingCalls(this.scheduler), this.cache);
	}

	@AfterEach
	void stop() {
		this.cache.stop();
		this.scheduler.dispose();
	}

	@Test
	void restartingADeploymentReplacesEveryPodAndTheRolloutEndsDone(TestCluster cluster, TestNamespace namespace)
			throws Exception {
		WorkloadRef ref = new WorkloadRef(WorkloadRollout.DEPLOYMENT, namespace.name(), "web");
		cluster.apps().createNamespacedDeployment(namespace.name(), labelled(deployment("web", 3))).execute();
		await(ref, RolloutStatus.Done.class);
		assertThat(this.workloads.find("web.example.test").block(Duration.ofSeconds(30))).singleElement()
			.satisfies((workload) -> assertThat(workload.ref()).isEqualTo(ref));
		Set<String> before = podNames(cluster, namespace, "web");
		assertThat(before).hasSize(3);

		this.workloads.restart(ref, Map.of("restartedAt", "2026-11-23T10:00:00Z", "restartReason", REASON),
				Map.of("kubectl.kubernetes.io/restartedAt", "2026-11-23T10:00:00Z", "restartedAt",
						"2026-11-23T10:00:00Z", "restartReason", REASON))
			.block(Duration.ofSeconds(30));

		List<String> seen = await(ref, "2026-11-23T10:00:00Z", RolloutStatus.Done.class);
		assertThat(seen).as("the rollout was followed while it went on").isNotEmpty();
		V1Deployment restarted = cluster.apps().readNamespacedDeployment("web", namespace.name()).execute();
		assertThat(restarted.getMetadata().getAnnotations()).containsEntry("restartReason", REASON)
			.containsEntry("restartedAt", "2026-11-23T10:00:00Z");
		assertThat(restarted.getSpec().getTemplate().getMetadata().getAnnotations()).containsOnly(
				Map.entry("kubectl.kubernetes.io/restartedAt", "2026-11-23T10:00:00Z"),
				Map.entry("restartedAt", "2026-11-23T10:00:00Z"), Map.entry("restartReason", REASON));
		Set<String> after = podNames(cluster, namespace, "web");
		assertThat(after).hasSize(3).doesNotContainAnyElementsOf(before);
	}

	@Test
	void restartingAStatefulSetReachesTheNewRevision(TestCluster cluster, TestNamespace namespace) throws Exception {
		WorkloadRef ref = new WorkloadRef(WorkloadRollout.STATEFUL_SET, namespace.name(), "db");
		cluster.apps().createNamespacedStatefulSet(namespace.name(), labelled(statefulSet("db", 3))).execute();
		await(ref, RolloutStatus.Done.class);
		String revision = this.workloads.get(ref).block(Duration.ofSeconds(30)).rollout().currentRevision();

		this.workloads.restart(ref, Map.of(), Map.of("kubectl.kubernetes.io/restartedAt", "2026-11-23T10:00:00Z"))
			.block(Duration.ofSeconds(30));

		await(ref, "2026-11-23T10:00:00Z", RolloutStatus.Done.class);
		WorkloadRollout rollout = this.workloads.get(ref).block(Duration.ofSeconds(30)).rollout();
		assertThat(rollout.currentRevision()).isNotEqualTo(revision).isEqualTo(rollout.updateRevision());
		assertThat(rollout.ready()).isEqualTo(3);
	}

	@Test
	void aWorkloadWithoutTheLookupLabelIsFollowedByReadingItAgain(TestCluster cluster, TestNamespace namespace)
			throws Exception {
		WorkloadRef ref = new WorkloadRef(WorkloadRollout.DEPLOYMENT, namespace.name(), "plain");
		cluster.apps().createNamespacedDeployment(namespace.name(), deployment("plain", 2)).execute();
		await(ref, RolloutStatus.Done.class);
		assertThat(this.workloads.managed().block(Duration.ofSeconds(30))).isEmpty();

		this.workloads.restart(ref, Map.of(), Map.of("kubectl.kubernetes.io/restartedAt", "2026-11-23T11:00:00Z"))
			.block(Duration.ofSeconds(30));

		await(ref, "2026-11-23T11:00:00Z", RolloutStatus.Done.class);
		assertThat(this.workloads.observe(ref).block(Duration.ofSeconds(30)).templateAnnotations())
			.containsEntry("kubectl.kubernetes.io/restartedAt", "2026-11-23T11:00:00Z");
	}

	@Test
	void aMissingWorkloadIsEmptyNotAnError(TestNamespace namespace) {
		WorkloadRef missing = new WorkloadRef(WorkloadRollout.DEPLOYMENT, namespace.name(), "nothing");
		assertThat(this.workloads.get(missing).blockOptional(Duration.ofSeconds(30))).isEmpty();
		assertThat(this.workloads.observe(missing).blockOptional(Duration.ofSeconds(30))).isEmpty();
	}

	/**
	 * Follows the workload as the restart step does until its rollout status is of the
	 * given kind.
	 */
	private List<String> await(WorkloadRef ref, Class<? extends RolloutStatus> until) {
		return await(ref, null, until);
	}

	/**
	 * Like {@link #await(WorkloadRef, Class)}, counting a workload whose template does
	 * not yet carry the restart's stamp as not picked up.
	 */
	private List<String> await(WorkloadRef ref, @Nullable String restartedAt, Class<? extends RolloutStatus> until) {
		return Flux.merge(Flux.just("start"), this.workloads.changes(ref), Flux.interval(Duration.ofSeconds(2)))
			.concatMap((signal) -> this.workloads.observe(ref)
				.map((workload) -> (restartedAt == null
						|| restartedAt.equals(workload.templateAnnotations().get("kubectl.kubernetes.io/restartedAt")))
								? RolloutStatus.of(workload.rollout()) : RolloutStatus.notPickedUp(workload.rollout())))
			.takeUntil(until::isInstance)
			.filter(RolloutStatus.Rolling.class::isInstance)
			.map(RolloutStatus::message)
			.collectList()
			.block(ROLLOUT);
	}

	private static Set<String> podNames(TestCluster cluster, TestNamespace namespace, String app) throws Exception {
		return cluster.core()
			.listNamespacedPod(namespace.name())
			.labelSelector("app=" + app)
			.execute()
			.getItems()
			.stream()
			.filter((pod) -> pod.getMetadata().getDeletionTimestamp() == null)
			.map(V1Pod::getMetadata)
			.map(V1ObjectMeta::getName)
			.collect(Collectors.toSet());
	}

	private static V1Deployment deployment(String name, int replicas) {
		return new V1Deployment().metadata(new V1ObjectMeta().name(name).putLabelsItem("app", name))
			.spec(new V1DeploymentSpec().replicas(replicas)
				.selector(new V1LabelSelector().putMatchLabelsItem("app", name))
				.template(template(name)));
	}

	private static <T extends KubernetesObject> T labelled(T workload) {
		workload.getMetadata().putLabelsItem(LOOKUP_LABEL, workload.getMetadata().getName() + ".example.test");
		return workload;
	}

	private static V1StatefulSet statefulSet(String name, int replicas) {
		return new V1StatefulSet().metadata(new V1ObjectMeta().name(name).putLabelsItem("app", name))
			.spec(new V1StatefulSetSpec().replicas(replicas)
				.serviceName(name)
				.selector(new V1LabelSelector().putMatchLabelsItem("app", name))
				.template(template(name)));
	}

	private static V1PodTemplateSpec template(String name) {
		return new V1PodTemplateSpec().metadata(new V1ObjectMeta().labels(new HashMap<>(Map.of("app", name))))
			.spec(new V1PodSpec().addContainersItem(new V1Container().name("app").image(TestNamespace.APP_IMAGE)));
	}

}
