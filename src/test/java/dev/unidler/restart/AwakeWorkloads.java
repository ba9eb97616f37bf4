package dev.unidler.restart;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import dev.unidler.cluster.TestCluster;
import dev.unidler.cluster.TestNamespace;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1DeploymentSpec;
import io.kubernetes.client.openapi.models.V1LabelSelector;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1PodTemplateSpec;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import io.kubernetes.client.openapi.models.V1StatefulSetSpec;
import io.kubernetes.client.util.PatchUtils;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.fail;

/**
 * Awake apps for restart tests: a Deployment or StatefulSet carrying the lookup label
 * {@code host}, opted in to restarts, rolled out before the test goes on.
 */
public final class AwakeWorkloads {

	public static final String OPT_IN = "unidler.dev/allow";

	private AwakeWorkloads() {
	}

	public static WorkloadRef deployment(TestCluster cluster, TestNamespace namespace, String name, String host,
			int replicas, Map<String, String> nodeSelector) throws ApiException {
		V1Deployment deployment = new V1Deployment().metadata(metadata(namespace, name, host))
			.spec(new V1DeploymentSpec().replicas(replicas)
				.selector(new V1LabelSelector().putMatchLabelsItem("app", name))
				.template(template(name, nodeSelector)));
		cluster.apps().createNamespacedDeployment(namespace.name(), deployment).execute();
		WorkloadRef ref = new WorkloadRef(WorkloadRollout.DEPLOYMENT, namespace.name(), name);
		awaitReady(cluster, ref, replicas);
		return ref;
	}

	public static WorkloadRef statefulSet(TestCluster cluster, TestNamespace namespace, String name, String host,
			int replicas) throws ApiException {
		V1StatefulSet statefulSet = new V1StatefulSet().metadata(metadata(namespace, name, host))
			.spec(new V1StatefulSetSpec().replicas(replicas)
				.serviceName(name)
				.selector(new V1LabelSelector().putMatchLabelsItem("app", name))
				.template(template(name, Map.of())));
		cluster.apps().createNamespacedStatefulSet(namespace.name(), statefulSet).execute();
		WorkloadRef ref = new WorkloadRef(WorkloadRollout.STATEFUL_SET, namespace.name(), name);
		awaitReady(cluster, ref, replicas);
		return ref;
	}

	/** Takes the app's opt-in away: nobody may restart it then. */
	public static void optOut(TestCluster cluster, WorkloadRef ref) throws ApiException {
		label(cluster, ref, null);
	}

	/** Opts a Deployment in to restarts. */
	public static void optIn(TestCluster cluster, WorkloadRef ref) throws ApiException {
		label(cluster, ref, "restart");
	}

	private static void label(TestCluster cluster, WorkloadRef ref, String value) throws ApiException {
		ObjectNode body = JsonMapper.shared().createObjectNode();
		body.putObject("metadata").putObject("labels").put(OPT_IN, value);
		V1Patch patch = new V1Patch(JsonMapper.shared().writeValueAsString(body));
		PatchUtils.patch(V1Deployment.class,
				() -> cluster.apps().patchNamespacedDeployment(ref.name(), ref.namespace(), patch).buildCall(null),
				V1Patch.PATCH_FORMAT_STRATEGIC_MERGE_PATCH, cluster.apiClient());
	}

	private static V1ObjectMeta metadata(TestNamespace namespace, String name, String host) {
		return new V1ObjectMeta().name(name)
			.namespace(namespace.name())
			.labels(new HashMap<>(Map.of("app", name, "host", host, OPT_IN, "restart")));
	}

	private static V1PodTemplateSpec template(String name, Map<String, String> nodeSelector) {
		V1PodSpec spec = new V1PodSpec()
			.addContainersItem(new V1Container().name("app").image(TestNamespace.APP_IMAGE));
		if (!nodeSelector.isEmpty()) {
			spec.nodeSelector(new HashMap<>(nodeSelector));
		}
		return new V1PodTemplateSpec().metadata(new V1ObjectMeta().labels(new HashMap<>(Map.of("app", name))))
			.spec(spec);
	}

	static void awaitReady(TestCluster cluster, WorkloadRef ref, int replicas) throws ApiException {
		long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		while (System.nanoTime() < end) {
			Integer ready = WorkloadRollout.STATEFUL_SET.equals(ref.kind())
					? cluster.apps()
						.readNamespacedStatefulSet(ref.name(), ref.namespace())
						.execute()
						.getStatus()
						.getReadyReplicas()
					: cluster.apps()
						.readNamespacedDeployment(ref.name(), ref.namespace())
						.execute()
						.getStatus()
						.getAvailableReplicas();
			if (ready != null && ready == replicas) {
				return;
			}
			try {
				Thread.sleep(200);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
		fail(ref + " did not get " + replicas + " ready replicas within 60 s");
	}

}
