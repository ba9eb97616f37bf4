package dev.unidler.idle;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.unidler.cluster.TestCluster;
import dev.unidler.cluster.TestNamespace;
import io.kubernetes.client.custom.IntOrString;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.V1ClientIPConfig;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ContainerPort;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1DeploymentSpec;
import io.kubernetes.client.openapi.models.V1LabelSelector;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1PodTemplateSpec;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServicePort;
import io.kubernetes.client.openapi.models.V1ServiceSpec;
import io.kubernetes.client.openapi.models.V1SessionAffinityConfig;

/**
 * Awake apps for idle tests: a Deployment and a Service whose spec has everything a round
 * trip must keep: two named ports (one with a named target port), a selector of two
 * labels, ClientIP session affinity with a timeout, and a local internal traffic policy.
 */
final class AwakeApps {

	static final String OPT_IN = "unidler.dev/allow";

	private AwakeApps() {
	}

	/**
	 * Creates the app and waits until it is available.
	 * @param labels more labels for the Deployment (opt-in, schedule)
	 * @param annotations annotations for the Deployment
	 */
	static void create(TestCluster cluster, TestNamespace namespace, String name, String host, int replicas,
			Map<String, String> labels, Map<String, String> annotations) throws ApiException {
		Map<String, String> selector = Map.of("app", name, "tier", "web");
		Map<String, String> deploymentLabels = new HashMap<>(Map.of("app", name, "host", host));
		deploymentLabels.putAll(labels);
		V1Deployment deployment = new V1Deployment()
			.metadata(new V1ObjectMeta().name(name)
				.namespace(namespace.name())
				.labels(deploymentLabels)
				.annotations(new HashMap<>(annotations)))
			.spec(new V1DeploymentSpec().replicas(replicas)
				.selector(new V1LabelSelector().matchLabels(new HashMap<>(selector)))
				.template(new V1PodTemplateSpec().metadata(new V1ObjectMeta().labels(new HashMap<>(selector)))
					.spec(new V1PodSpec().addContainersItem(new V1Container().name("app")
						.image(TestNamespace.APP_IMAGE)
						.addPortsItem(new V1ContainerPort().name("http").containerPort(TestNamespace.APP_PORT))))));
		V1Service service = new V1Service()
			.metadata(new V1ObjectMeta().name(name)
				.namespace(namespace.name())
				.labels(new HashMap<>(Map.of("app", name, "host", host))))
			.spec(new V1ServiceSpec().type("ClusterIP")
				.selector(new HashMap<>(selector))
				.ports(List.of(new V1ServicePort().name("http").port(80).targetPort(new IntOrString("http")),
						new V1ServicePort().name("metrics").port(9090).targetPort(new IntOrString(9090))))
				.sessionAffinity("ClientIP")
				.sessionAffinityConfig(
						new V1SessionAffinityConfig().clientIP(new V1ClientIPConfig().timeoutSeconds(600)))
				.internalTrafficPolicy("Local"));
		cluster.apps().createNamespacedDeployment(namespace.name(), deployment).execute();
		cluster.core().createNamespacedService(namespace.name(), service).execute();
		awaitAvailable(cluster, namespace, name, replicas);
	}

	static V1Deployment awaitAvailable(TestCluster cluster, TestNamespace namespace, String name, int replicas)
			throws ApiException {
		long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		while (true) {
			V1Deployment deployment = cluster.apps().readNamespacedDeployment(name, namespace.name()).execute();
			Integer available = deployment.getStatus() != null ? deployment.getStatus().getAvailableReplicas() : null;
			if (available != null && available == replicas) {
				return deployment;
			}
			if (System.nanoTime() > end) {
				throw new IllegalStateException(name + " did not become available: " + deployment.getStatus());
			}
			sleep(100);
		}
	}

	static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
