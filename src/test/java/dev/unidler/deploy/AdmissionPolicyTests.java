package dev.unidler.deploy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.unidler.UnidlerApplication;
import dev.unidler.cluster.IdledApp;
import dev.unidler.cluster.IdledAppSpec;
import dev.unidler.cluster.RealCluster;
import dev.unidler.cluster.RecordedEvents;
import dev.unidler.cluster.TestCluster;
import dev.unidler.cluster.TestNamespace;
import dev.unidler.idle.IdleTarget;
import dev.unidler.idle.Idles;
import dev.unidler.operation.OperationEvent;
import dev.unidler.restart.AwakeWorkloads;
import dev.unidler.restart.RestartTarget;
import dev.unidler.restart.Restarts;
import dev.unidler.restart.WorkloadRef;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServicePort;
import io.kubernetes.client.openapi.models.V1ServiceSpec;
import io.kubernetes.client.util.PatchUtils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The admission policy of {@code deploy/} on the real control plane: with it, the
 * unidler's account cannot take over a workload or a Service (every escalation a stolen
 * token would try is refused by the API server), and its operations still work: a wake,
 * an idle's writes and a restart.
 */
@RealCluster
class AdmissionPolicyTests {

	private static final Path ROOT = Path.of("").toAbsolutePath();

	private static final Path POLICY = ROOT.resolve("deploy/base/admission-policy.yaml");

	private static final Path RBAC = ROOT.resolve("deploy/base/rbac.yaml");

	private static final JsonMapper JSON = JsonMapper.shared();

	private static final String INSTALL_NAMESPACE = "unidler";

	private static Kubectl kubectl;

	/**
	 * Installs the policy as {@code deploy/} does, and leaves it installed: an API server
	 * that saw a policy with ConfigMap params deleted does not find the params of the
	 * next one (kubernetes#133827), and tests reuse a cluster. The policy admits
	 * everything the unidler does, so the tests that run as its ServiceAccount after this
	 * one pass under it too.
	 */
	@BeforeAll
	static void installThePolicy(TestCluster cluster) throws Exception {
		kubectl = Kubectl.find(cluster.kubeconfig(), ROOT);
		try {
			cluster.core().readNamespace(INSTALL_NAMESPACE).execute();
		}
		catch (ApiException ex) {
			cluster.core()
				.createNamespace(new V1Namespace().metadata(new V1ObjectMeta().name(INSTALL_NAMESPACE)))
				.execute();
		}
		Kubectl.Result applied = kubectl.run("apply", "-n", INSTALL_NAMESPACE, "-f", POLICY.toString());
		assertThat(applied.exitCode()).as(applied.output()).isZero();
	}

	@Test
	void everyEscalationOfAStolenTokenIsRefused(TestCluster cluster, TestNamespace namespace) throws Exception {
		WorkloadRef web = AwakeWorkloads.deployment(cluster, namespace, "web", host(namespace), 1, Map.of());
		cluster.core().createNamespacedService(namespace.name(), plainService("plain")).execute();
		try (DeployedRbac rbac = DeployedRbac.create(cluster, namespace, RBAC)) {
			ApiClient account = namespace.serviceAccountClient(rbac.serviceAccount());
			awaitPolicy(account, namespace, web);

			// Pod templates: image, privileges, host paths, a powerful ServiceAccount.
			assertRefused(account, web,
					template((spec) -> spec.putArray("containers")
						.addObject()
						.put("name", "app")
						.put("image", "registry.example/miner:1")));
			assertRefused(account, web,
					template((spec) -> spec.putArray("containers")
						.addObject()
						.put("name", "app")
						.putObject("securityContext")
						.put("privileged", true)));
			assertRefused(account, web,
					template((spec) -> spec.putArray("volumes")
						.addObject()
						.put("name", "root")
						.putObject("hostPath")
						.put("path", "/")));
			assertRefused(account, web, template((spec) -> spec.put("serviceAccountName", "cluster-admin")));
			// Other labels, and the workload's own selector.
			ObjectNode label = JSON.createObjectNode();
			label.putObject("metadata").putObject("labels").put("team", "someone-else");
			assertRefused(account, web, label);

			// Services: exposed, re-selected, the API server's own.
			ObjectNode externalIps = JSON.createObjectNode();
			externalIps.putObject("spec").putArray("externalIPs").add("203.0.113.7");
			assertServiceRefused(account, namespace.name(), "plain", externalIps);
			for (String type : List.of("NodePort", "LoadBalancer")) {
				ObjectNode exposed = JSON.createObjectNode();
				exposed.putObject("spec").put("type", type);
				assertServiceRefused(account, namespace.name(), "plain", exposed);
			}
			ObjectNode reselect = JSON.createObjectNode();
			reselect.putObject("spec").putObject("selector").put("app", "web");
			assertServiceRefused(account, namespace.name(), "plain", reselect);
			assertServiceRefused(account, "default", "kubernetes", reselect);
			// Nothing in kube-system, even a change allowed elsewhere.
			String system = "unidler-policy-"
					+ host(namespace).substring("policy-".length(), host(namespace).indexOf('.'));
			cluster.core().createNamespacedService("kube-system", plainService(system)).execute();
			try {
				ObjectNode annotation = JSON.createObjectNode();
				annotation.putObject("metadata").putObject("annotations").put("unidler.dev/service-spec", "{}");
				assertServiceRefused(account, "kube-system", system, annotation);
			}
			finally {
				cluster.core().deleteNamespacedService(system, "kube-system").execute();
			}
		}
		assertThat(cluster.apps()
			.readNamespacedDeployment("web", namespace.name())
			.execute()
			.getSpec()
			.getTemplate()
			.getSpec()
			.getContainers()
			.get(0)
			.getImage()).isEqualTo(TestNamespace.APP_IMAGE);
	}

	@Test
	void aWakeAnIdleAndARestartStillWork(TestCluster cluster, TestNamespace namespace) throws Exception {
		IdledApp idled = namespace.createIdledApp(IdledAppSpec.named("sleepy").host(host(namespace)));
		WorkloadRef awake = AwakeWorkloads.deployment(cluster, namespace, "busy", "busy-" + host(namespace), 2,
				Map.of());
		V1Service busy = plainService("busy");
		busy.getMetadata().putLabelsItem("host", "busy-" + host(namespace));
		cluster.core().createNamespacedService(namespace.name(), busy).execute();
		try (DeployedRbac rbac = DeployedRbac.create(cluster, namespace, RBAC)) {
			ApiClient account = namespace.serviceAccountClient(rbac.serviceAccount());
			awaitPolicy(account, namespace, awake);
			try (ConfigurableApplicationContext unidler = start(account, namespace)) {
				// A wake, through the whole unidler.
				OperationEvent woken = unidler.getBean(dev.unidler.wake.Wakes.class)
					.wake(unidler.getBean(dev.unidler.app.AppKeys.class).forHost(idled.host()))
					.events()
					.last()
					.block(Duration.ofSeconds(90));
				assertThat(woken.kind()).as("end of the wake: %s", woken).isEqualTo(OperationEvent.Kind.READY);
				// A restart.
				OperationEvent restarted = unidler.getBean(Restarts.class)
					.request(new RestartTarget.Named(awake), "policy test", "test")
					.flatMap((restart) -> restart.events().last())
					.block(Duration.ofSeconds(90));
				assertThat(restarted.kind()).as("end of the restart: %s", restarted)
					.isEqualTo(OperationEvent.Kind.READY);
				// An idle, through the whole unidler.
				Idles idles = unidler.getBean(Idles.class);
				OperationEvent slept = idles.find(new IdleTarget.Named(namespace.name(), "busy"))
					.flatMap((app) -> idles.request(app, "test").events().last())
					.block(Duration.ofSeconds(90));
				assertThat(slept.kind()).as("end of the idle: %s", slept).isEqualTo(OperationEvent.Kind.READY);
			}
		}
		assertThat(cluster.apps().readNamespacedDeployment("busy", namespace.name()).execute().getSpec().getReplicas())
			.isZero();
		// The policy leaves Events alone: each operation recorded its own.
		RecordedEvents.await(cluster, namespace.name(), "Deployment", idled.name(), "Woken");
		RecordedEvents.await(cluster, namespace.name(), "Deployment", "busy", "RestartRequested");
		RecordedEvents.await(cluster, namespace.name(), "Deployment", "busy", "Restarted");
		RecordedEvents.await(cluster, namespace.name(), "Deployment", "busy", "Idled");
		assertThat(cluster.core().readNamespacedService("busy", namespace.name()).execute().getSpec().getType())
			.isEqualTo("ExternalName");
	}

	private static ConfigurableApplicationContext start(ApiClient client, TestNamespace namespace) {
		return new SpringApplicationBuilder(UnidlerApplication.class)
			.initializers(
					(context) -> ((GenericApplicationContext) context).registerBean(ApiClient.class, () -> client))
			.run("--server.port=0", "--server.address=127.0.0.1", "--unidler.wake.deadline=60s",
					"--unidler.restart.recheck=1s", "--unidler.coordination.namespace=" + namespace.name());
	}

	/** A policy takes a moment to load: wait until it refuses what it must. */
	private static void awaitPolicy(ApiClient account, TestNamespace namespace, WorkloadRef web) throws Exception {
		ObjectNode image = template((spec) -> spec.putArray("containers")
			.addObject()
			.put("name", "app")
			.put("image", "registry.example/probe:1"));
		long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		String last = "";
		while (System.nanoTime() < end) {
			try {
				patchDeployment(account, web, image, true);
			}
			catch (ApiException ex) {
				last = ex.getCode() + " " + ex.getResponseBody();
				// Its own refusal, not "no params found": the policy and its ConfigMap
				// are
				// both in the API server's caches.
				if (ex.getCode() == 422 && ex.getResponseBody().contains("unidler-limits")
						&& ex.getResponseBody().contains("may change only")) {
					return;
				}
				if (ex.getCode() != 403 && ex.getCode() != 422) {
					throw ex;
				}
			}
			Thread.sleep(500);
		}
		throw new AssertionError("the admission policy did not take effect within 60 s; last answer: " + last);
	}

	private static void assertRefused(ApiClient account, WorkloadRef ref, ObjectNode patch) {
		assertThatExceptionOfType(ApiException.class).as("%s", patch)
			.isThrownBy(() -> patchDeployment(account, ref, patch, true))
			.satisfies((ex) -> assertThat(ex.getResponseBody()).contains("unidler-limits"));
	}

	private static void assertServiceRefused(ApiClient account, String namespace, String name, ObjectNode patch) {
		assertThatExceptionOfType(ApiException.class).as("%s/%s: %s", namespace, name, patch)
			.isThrownBy(() -> patchService(account, namespace, name, patch, true))
			.satisfies((ex) -> assertThat(ex.getResponseBody()).contains("unidler-limits"));
	}

	private static void patchDeployment(ApiClient account, WorkloadRef ref, ObjectNode patch, boolean dryRun)
			throws ApiException {
		V1Patch body = new V1Patch(JSON.writeValueAsString(patch));
		AppsV1Api apps = new AppsV1Api(account);
		PatchUtils.patch(V1Deployment.class, () -> {
			var request = apps.patchNamespacedDeployment(ref.name(), ref.namespace(), body);
			return (dryRun ? request.dryRun("All") : request).buildCall(null);
		}, V1Patch.PATCH_FORMAT_STRATEGIC_MERGE_PATCH, account);
	}

	private static void patchService(ApiClient account, String namespace, String name, ObjectNode patch, boolean dryRun)
			throws ApiException {
		V1Patch body = new V1Patch(JSON.writeValueAsString(patch));
		CoreV1Api core = new CoreV1Api(account);
		PatchUtils.patch(V1Service.class, () -> {
			var request = core.patchNamespacedService(name, namespace, body);
			return (dryRun ? request.dryRun("All") : request).buildCall(null);
		}, V1Patch.PATCH_FORMAT_STRATEGIC_MERGE_PATCH, account);
	}

	private static ObjectNode template(java.util.function.Consumer<ObjectNode> spec) {
		ObjectNode patch = JSON.createObjectNode();
		spec.accept(patch.putObject("spec").putObject("template").putObject("spec"));
		return patch;
	}

	private static V1Service plainService(String name) {
		return new V1Service().metadata(new V1ObjectMeta().name(name))
			.spec(new V1ServiceSpec().type("ClusterIP")
				.putSelectorItem("app", name)
				.addPortsItem(new V1ServicePort().name("http").port(80)));
	}

	private static String host(TestNamespace namespace) {
		return "policy-" + namespace.name().substring(namespace.name().lastIndexOf('-') + 1) + ".example.test";
	}

}
