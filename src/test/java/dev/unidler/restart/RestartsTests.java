package dev.unidler.restart;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.unidler.UnidlerApplication;
import dev.unidler.app.AppKeys;
import dev.unidler.cluster.IdledAppSpec;
import dev.unidler.cluster.RealCluster;
import dev.unidler.cluster.TestCluster;
import dev.unidler.cluster.TestNamespace;
import dev.unidler.operation.FailureReason;
import dev.unidler.operation.Operation;
import dev.unidler.operation.OperationEvent;
import dev.unidler.operation.OperationFailure;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.util.PatchUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Restarts as the operation runs them, against the real control plane: KWOK replaces the
 * pods of a rollout, so "done" is seen only once every pod is new and available.
 */
@RealCluster
class RestartsTests {

	private static final Duration END = Duration.ofSeconds(90);

	/** Quotes, a newline and an attempt to break out of a JSON string. */
	private static final String REASON = "data \"updated\"\nby 'nightly' \"},\"x\":\"";

	private static ConfigurableApplicationContext context;

	private static Restarts restarts;

	private static AppKeys keys;

	@BeforeAll
	static void start(TestCluster cluster) {
		// Command-line arguments, so that they win over application.yaml's server.port: a
		// default property would leave the instance on 8080, which may be taken.
		context = new SpringApplicationBuilder(UnidlerApplication.class).run("--server.port=0",
				"--server.address=127.0.0.1", "--unidler.kubeconfig=" + cluster.kubeconfig(),
				"--unidler.restart.recheck=1s", "--unidler.restart.unschedulable-grace=2s",
				"--spring.lifecycle.timeout-per-shutdown-phase=1s");
		restarts = context.getBean(Restarts.class);
		keys = context.getBean(AppKeys.class);
	}

	@AfterAll
	static void stop() {
		context.close();
	}

	@Test
	void aRestartByHostReplacesEveryPodAndReportsItsStepsInOrder(TestCluster cluster, TestNamespace namespace)
			throws Exception {
		String host = host(namespace, "web");
		WorkloadRef ref = AwakeWorkloads.deployment(cluster, namespace, "web", host, 3, Map.of());
		Set<String> podsBefore = pods(cluster, namespace, "web");

		Operation restart = restarts.request(new RestartTarget.Host(keys.forHost(host)), REASON, "test").block(END);
		List<OperationEvent> events = restart.events().collectList().block(END);

		assertThat(events).extracting((event) -> event.kind() + " " + event.step() + " " + event.state())
			.containsSubsequence("PROGRESS locate RUNNING", "PROGRESS locate DONE", "PROGRESS request-restart RUNNING",
					"PROGRESS request-restart DONE", "PROGRESS await-rollout RUNNING", "PROGRESS await-rollout DONE",
					"READY await-rollout DONE");
		assertThat(events).anyMatch((event) -> event.message().matches("\\d of 3 pods replaced"));
		V1Deployment restarted = cluster.apps().readNamespacedDeployment("web", namespace.name()).execute();
		Map<String, String> template = restarted.getSpec().getTemplate().getMetadata().getAnnotations();
		assertThat(template).containsOnlyKeys("kubectl.kubernetes.io/restartedAt", "restartedAt", "restartReason")
			.containsEntry("restartReason", REASON);
		assertThat(restarted.getMetadata().getAnnotations()).containsEntry("restartReason", REASON)
			.containsEntry("restartedAt", template.get("restartedAt"));
		assertThat(pods(cluster, namespace, "web")).hasSize(3).doesNotContainAnyElementsOf(podsBefore);
		assertThat(restarted.getStatus().getAvailableReplicas()).isEqualTo(3);
		assertThat(ref.name()).isEqualTo("web");
	}

	@Test
	void aStatefulSetIsRestartedByName(TestCluster cluster, TestNamespace namespace) throws Exception {
		WorkloadRef ref = AwakeWorkloads.statefulSet(cluster, namespace, "db", host(namespace, "db"), 2);

		OperationEvent end = restarts.request(new RestartTarget.Named(ref), null, "test")
			.flatMap((restart) -> restart.events().last())
			.block(END);

		assertThat(end.kind()).isEqualTo(OperationEvent.Kind.READY);
		var statefulSet = cluster.apps().readNamespacedStatefulSet("db", namespace.name()).execute();
		assertThat(statefulSet.getStatus().getCurrentRevision()).isEqualTo(statefulSet.getStatus().getUpdateRevision());
		assertThat(statefulSet.getSpec().getTemplate().getMetadata().getAnnotations()).containsEntry("restartReason",
				"data-updated");
	}

	@Test
	void anIdledAppIsNotRestartedNorWoken(TestNamespace namespace) throws Exception {
		var app = namespace.createIdledApp(IdledAppSpec.named("sleepy").host(host(namespace, "sleepy")));
		long generation = app.deployment().getMetadata().getGeneration();

		assertThatExceptionOfType(OperationFailure.class)
			.isThrownBy(
					() -> restarts.request(new RestartTarget.Host(keys.forHost(app.host())), null, "test").block(END))
			.satisfies((failure) -> assertThat(failure.reason()).isEqualTo(FailureReason.APP_IDLED));
		assertThat(app.deployment().getMetadata().getGeneration()).isEqualTo(generation);
		assertThat(app.deployment().getSpec().getReplicas()).isZero();
	}

	@Test
	void unknownAndAmbiguousHostsAreRefused(TestCluster cluster, TestNamespace namespace) throws Exception {
		String host = host(namespace, "twice");
		AwakeWorkloads.deployment(cluster, namespace, "one", host, 1, Map.of());
		AwakeWorkloads.statefulSet(cluster, namespace, "two", host, 1);

		assertThatExceptionOfType(OperationFailure.class)
			.isThrownBy(() -> restarts
				.request(new RestartTarget.Host(keys.forHost(host(namespace, "nobody"))), null, "test")
				.block(END))
			.satisfies((failure) -> assertThat(failure.reason()).isEqualTo(FailureReason.UNKNOWN_APP));
		assertThatExceptionOfType(OperationFailure.class)
			.isThrownBy(() -> restarts.request(new RestartTarget.Host(keys.forHost(host)), null, "test").block(END))
			.satisfies((failure) -> assertThat(failure.reason()).isEqualTo(FailureReason.AMBIGUOUS_APP));
	}

	@Test
	void newPodsThatCannotBePlacedFailTheRestartNamingWhy(TestCluster cluster, TestNamespace namespace)
			throws Exception {
		// The pods may run only on a node carrying a label of this test; once the label
		// is gone, the replacements of a restart cannot be placed anywhere.
		String label = "unidler.dev/restart-test-" + suffix(namespace);
		String node = cluster.core().listNode().execute().getItems().get(0).getMetadata().getName();
		labelNode(cluster, node, label, "yes");
		try {
			WorkloadRef ref = AwakeWorkloads.deployment(cluster, namespace, "pinned", host(namespace, "pinned"), 1,
					Map.of(label, "yes"));
			labelNode(cluster, node, label, null);

			OperationEvent end = restarts.request(new RestartTarget.Named(ref), null, "test")
				.flatMap((restart) -> restart.events().last())
				.block(END);

			assertThat(end.kind()).isEqualTo(OperationEvent.Kind.FAILURE);
			assertThat(end.failure()).isEqualTo(FailureReason.APP_CANNOT_START);
			assertThat(end.step()).isEqualTo("await-rollout");
			assertThat(end.message()).contains("Unschedulable");
		}
		finally {
			labelNode(cluster, node, label, null);
		}
	}

	@Test
	void twentyRestartsAtOnceCostAtMostTwoRollouts(TestCluster cluster, TestNamespace namespace) throws Exception {
		String host = host(namespace, "busy");
		AwakeWorkloads.deployment(cluster, namespace, "busy", host, 2, Map.of());
		int replicaSetsBefore = replicaSets(cluster, namespace);

		List<Operation> covering = Flux.range(0, 20)
			.flatMap((i) -> restarts.request(new RestartTarget.Host(keys.forHost(host)), "burst " + i, "test"))
			.collectList()
			.block(END);
		List<OperationEvent> ends = Flux.fromIterable(covering)
			.flatMap((restart) -> restart.events().last())
			.collectList()
			.block(END);

		Set<String> runs = new HashSet<>(covering.stream().map(Operation::id).toList());
		assertThat(runs).hasSizeBetween(1, 2);
		assertThat(ends).allMatch((end) -> end.kind() == OperationEvent.Kind.READY);
		// Every template change is a new ReplicaSet.
		assertThat(replicaSets(cluster, namespace) - replicaSetsBefore).isEqualTo(runs.size());
	}

	private static int replicaSets(TestCluster cluster, TestNamespace namespace) throws Exception {
		return cluster.apps().listNamespacedReplicaSet(namespace.name()).execute().getItems().size();
	}

	private static Set<String> pods(TestCluster cluster, TestNamespace namespace, String app) throws Exception {
		List<String> names = new ArrayList<>();
		cluster.core()
			.listNamespacedPod(namespace.name())
			.labelSelector("app=" + app)
			.execute()
			.getItems()
			.stream()
			.filter((pod) -> pod.getMetadata().getDeletionTimestamp() == null)
			.forEach((pod) -> names.add(pod.getMetadata().getName()));
		return new HashSet<>(names);
	}

	/** A host unique to the test, short enough to be a label value. */
	private static String host(TestNamespace namespace, String app) {
		return app + "-" + suffix(namespace) + ".example.test";
	}

	private static String suffix(TestNamespace namespace) {
		return namespace.name().substring(namespace.name().lastIndexOf('-') + 1);
	}

	private static void labelNode(TestCluster cluster, String node, String label, String value) throws Exception {
		ObjectNode body = JsonMapper.shared().createObjectNode();
		body.putObject("metadata").putObject("labels").put(label, value);
		V1Patch patch = new V1Patch(JsonMapper.shared().writeValueAsString(body));
		PatchUtils.patch(V1Node.class, () -> cluster.core().patchNode(node, patch).buildCall(null),
				V1Patch.PATCH_FORMAT_STRATEGIC_MERGE_PATCH, cluster.apiClient());
	}

}
