package dev.unidler.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

import com.google.gson.reflect.TypeToken;
import dev.unidler.UnidlerApplication;
import dev.unidler.cluster.AuditEvent;
import dev.unidler.cluster.IdledApp;
import dev.unidler.cluster.IdledAppSpec;
import dev.unidler.cluster.RealCluster;
import dev.unidler.cluster.RecordedEvents;
import dev.unidler.cluster.TestCluster;
import dev.unidler.cluster.TestNamespace;
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
import io.kubernetes.client.openapi.apis.DiscoveryV1Api;
import io.kubernetes.client.openapi.apis.EventsV1Api;
import io.kubernetes.client.openapi.models.EventsV1Event;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1ObjectReference;
import io.kubernetes.client.util.PatchUtils;
import io.kubernetes.client.util.Watch;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The manifests of {@code deploy/} against the real control plane: the API server accepts
 * all of them, and the ClusterRole lets the unidler wake an app while refusing everything
 * else.
 */
@RealCluster
class DeployManifestsTests {

	private static final Path ROOT = repositoryRoot();

	private static final Path RBAC = ROOT.resolve("deploy/base/rbac.yaml");

	private static final String INSTALL_NAMESPACE = "unidler";

	private static final Duration TIMEOUT = Duration.ofSeconds(90);

	@Test
	void theApiServerAcceptsTheKustomizationInAServerSideDryRun(TestCluster cluster) throws Exception {
		Kubectl kubectl = Kubectl.find(cluster.kubeconfig(), ROOT);
		// A server-side dry run persists nothing, not even the Namespace it creates, so
		// the namespaced objects need the namespace to exist already.
		boolean created = ensureNamespace(cluster, INSTALL_NAMESPACE);
		try {
			Kubectl.Result result = kubectl.run("apply", "--dry-run=server", "--validate=strict", "-k", "deploy/");
			assertThat(result.exitCode()).as(result.output()).isZero();
			assertThat(result.stdout()).as(result.output())
				.contains("serviceaccount/unidler", "clusterrole.rbac.authorization.k8s.io/unidler",
						"clusterrolebinding.rbac.authorization.k8s.io/unidler", "deployment.apps/unidler",
						"service/unidler", "service/unidler-admin", "poddisruptionbudget.policy/unidler",
						"validatingadmissionpolicy.admissionregistration.k8s.io/unidler-limits",
						"validatingadmissionpolicybinding.admissionregistration.k8s.io/unidler-limits",
						"configmap/unidler-admission", "networkpolicy.networking.k8s.io/unidler")
				.contains("(server dry run)");
		}
		finally {
			if (created) {
				cluster.core().deleteNamespace(INSTALL_NAMESPACE).execute();
			}
		}
	}

	@Test
	void theClusterRoleIsEnoughToWakeAnApp(TestCluster cluster, TestNamespace namespace) throws Exception {
		IdledApp app = namespace
			.createIdledApp(IdledAppSpec.named("app").host(uniqueHost(namespace)).replicasAnnotation("2"));
		try (DeployedRbac rbac = DeployedRbac.create(cluster, namespace, RBAC)) {
			ApiClient serviceAccount = namespace.serviceAccountClient(rbac.serviceAccount());
			awaitPermission(serviceAccount);
			try (ConfigurableApplicationContext context = startUnidler(serviceAccount, namespace)) {
				int port = ((WebServerApplicationContext) context).getWebServer().getPort();

				List<ServerSentEvent<String>> events = wakeEvents(port, app.host());

				assertThat(events).as("events of the wake").isNotEmpty();
				assertThat(events.get(events.size() - 1).event()).as("last event: %s", events.get(events.size() - 1))
					.isEqualTo("ready");
			}
			// A wake on KWOK can be over before a watch delivers anything (re-reads see
			// the app available), so the watches the unidler opens are checked directly.
			assertCanWatch(serviceAccount,
					new AppsV1Api(serviceAccount).listNamespacedDeployment(namespace.name())
						.fieldSelector("metadata.name=" + app.name())
						.watch(true)
						.timeoutSeconds(1)
						.buildCall(null));
			assertCanWatch(serviceAccount,
					new DiscoveryV1Api(serviceAccount).listNamespacedEndpointSlice(namespace.name())
						.labelSelector("kubernetes.io/service-name=" + app.name())
						.watch(true)
						.timeoutSeconds(1)
						.buildCall(null));
		}
		V1Deployment deployment = app.awaitAvailable(2, TIMEOUT);
		assertThat(deployment.getMetadata().getLabels()).doesNotContainKey(IdledAppSpec.IDLED_LABEL);
		assertThat(app.service().getSpec().getType()).isEqualTo("ClusterIP");
		// The app's Deployment and Service were changed by the ServiceAccount only (kwok,
		// as admin, patches the status of pods).
		String user = "system:serviceaccount:" + namespace.name() + ":unidler";
		List<AuditEvent> changes = cluster.auditWrites(namespace.name())
			.stream()
			.filter((event) -> event.verb().equals("patch") && event.subresource() == null
					&& List.of("deployments", "services").contains(event.resource()))
			.toList();
		assertThat(changes).extracting(AuditEvent::resource).contains("deployments", "services");
		assertThat(changes).extracting(AuditEvent::user).containsOnly(user);
	}

	@Test
	void theClusterRoleIsEnoughToRestartAStatefulSet(TestCluster cluster, TestNamespace namespace) throws Exception {
		WorkloadRef ref = AwakeWorkloads.statefulSet(cluster, namespace, "db", uniqueHost(namespace), 2);
		try (DeployedRbac rbac = DeployedRbac.create(cluster, namespace, RBAC)) {
			ApiClient serviceAccount = namespace.serviceAccountClient(rbac.serviceAccount());
			awaitPermission(serviceAccount);
			try (ConfigurableApplicationContext context = startUnidler(serviceAccount, namespace)) {
				OperationEvent end = context.getBean(Restarts.class)
					.request(new RestartTarget.Named(ref), "deploy test", "test")
					.flatMap((restart) -> restart.events().last())
					.block(TIMEOUT);
				assertThat(end.kind()).as("end of the restart: %s", end).isEqualTo(OperationEvent.Kind.READY);
			}
		}
		// Recorded as the account, on the StatefulSet, found by its uid.
		EventsV1Event restarted = RecordedEvents.await(cluster, namespace.name(), "StatefulSet", ref.name(),
				"Restarted");
		assertThat(restarted.getRegarding().getUid()).isEqualTo(cluster.apps()
			.readNamespacedStatefulSet(ref.name(), namespace.name())
			.execute()
			.getMetadata()
			.getUid());
		assertThat(restarted.getNote()).endsWith("asked by test: every pod is new and available");
		String user = "system:serviceaccount:" + namespace.name() + ":unidler";
		assertThat(cluster.auditWrites(namespace.name())
			.stream()
			.filter((event) -> event.verb().equals("patch") && "statefulsets".equals(event.resource())))
			.extracting(AuditEvent::user)
			.containsOnly(user)
			.isNotEmpty();
	}

	@Test
	void theServiceAccountMayNotDeleteDeploymentsNorReadSecrets(TestCluster cluster, TestNamespace namespace)
			throws Exception {
		IdledApp app = namespace.createIdledApp(IdledAppSpec.named("app").host(uniqueHost(namespace)));
		try (DeployedRbac rbac = DeployedRbac.create(cluster, namespace, RBAC)) {
			ApiClient serviceAccount = namespace.serviceAccountClient(rbac.serviceAccount());
			// The binding is in effect: what the role allows works...
			awaitPermission(serviceAccount);
			AppsV1Api apps = new AppsV1Api(serviceAccount);
			CoreV1Api core = new CoreV1Api(serviceAccount);

			// ...and the rest is refused.
			assertForbidden(() -> apps.deleteNamespacedDeployment(app.name(), namespace.name()).execute());
			assertForbidden(() -> core.listNamespacedSecret(namespace.name()).execute());
			assertForbidden(() -> core.listSecretForAllNamespaces().execute());
			assertForbidden(() -> core.readNamespacedSecret("anything", namespace.name()).execute());
			assertForbidden(() -> core.deleteNamespacedService(app.name(), namespace.name()).execute());
		}
		assertThat(app.deployment().getMetadata().getDeletionTimestamp()).isNull();
	}

	@Test
	void theServiceAccountMayCreateAndPatchEventsButNotReadOrDeleteThem(TestCluster cluster, TestNamespace namespace)
			throws Exception {
		IdledApp app = namespace.createIdledApp(IdledAppSpec.named("app").host(uniqueHost(namespace)));
		try (DeployedRbac rbac = DeployedRbac.create(cluster, namespace, RBAC)) {
			ApiClient serviceAccount = namespace.serviceAccountClient(rbac.serviceAccount());
			awaitPermission(serviceAccount);
			EventsV1Api events = new EventsV1Api(serviceAccount);
			EventsV1Event event = new EventsV1Event()
				.metadata(new V1ObjectMeta().name("app.rbac").namespace(namespace.name()))
				.eventTime(OffsetDateTime.now(ZoneOffset.UTC))
				.reportingController("unidler.dev/unidler")
				.reportingInstance("rbac-test")
				.action("Wake")
				.reason("Woken")
				.type("Normal")
				.note("RBAC test")
				.regarding(new V1ObjectReference().apiVersion("apps/v1")
					.kind("Deployment")
					.namespace(namespace.name())
					.name(app.name()));

			// What the unidler does: create, then patch the series...
			events.createNamespacedEvent(namespace.name(), event).execute();
			ObjectNode body = JsonMapper.shared().createObjectNode();
			body.putObject("series")
				.put("count", 2)
				.put("lastObservedTime", DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX")
					.format(OffsetDateTime.now(ZoneOffset.UTC)));
			V1Patch series = new V1Patch(JsonMapper.shared().writeValueAsString(body));
			EventsV1Event patched = PatchUtils.patch(EventsV1Event.class,
					() -> events.patchNamespacedEvent("app.rbac", namespace.name(), series).buildCall(null),
					V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, serviceAccount);
			assertThat(patched.getSeries().getCount()).isEqualTo(2);

			// ...and nothing else: not read, list, watch, replace or delete them, in the
			// core API either.
			assertForbidden(() -> events.readNamespacedEvent("app.rbac", namespace.name()).execute());
			assertForbidden(() -> events.listNamespacedEvent(namespace.name()).execute());
			assertForbidden(() -> events.listEventForAllNamespaces().execute());
			assertForbidden(() -> events.replaceNamespacedEvent("app.rbac", namespace.name(), patched).execute());
			assertForbidden(() -> events.deleteNamespacedEvent("app.rbac", namespace.name()).execute());
			CoreV1Api core = new CoreV1Api(serviceAccount);
			assertForbidden(() -> core.listNamespacedEvent(namespace.name()).execute());
			assertForbidden(() -> core.deleteNamespacedEvent("app.rbac", namespace.name()).execute());
		}
		assertThat(new EventsV1Api(cluster.apiClient()).readNamespacedEvent("app.rbac", namespace.name())
			.execute()
			.getSeries()
			.getCount()).isEqualTo(2);
	}

	private static ConfigurableApplicationContext startUnidler(ApiClient client, TestNamespace namespace) {
		// Command-line arguments, so that they win over application.yaml's server.port. A
		// deadline below the test's timeout turns a stuck wake into a failure event.
		return new SpringApplicationBuilder(UnidlerApplication.class)
			.initializers(
					(context) -> ((GenericApplicationContext) context).registerBean(ApiClient.class, () -> client))
			.run("--server.port=0", "--server.address=127.0.0.1", "--unidler.wake.deadline=60s",
					"--unidler.coordination.namespace=" + namespace.name());
	}

	private static List<ServerSentEvent<String>> wakeEvents(int port, String host) {
		return WebClient.create("http://127.0.0.1:" + port)
			.get()
			.uri("/events")
			.header(HttpHeaders.HOST, host)
			.accept(MediaType.TEXT_EVENT_STREAM)
			.retrieve()
			.bodyToFlux(new ParameterizedTypeReference<ServerSentEvent<String>>() {
			})
			.filter((event) -> event.event() != null)
			.takeUntil((event) -> "ready".equals(event.event()) || "failure".equals(event.event()))
			.collectList()
			.block(TIMEOUT);
	}

	/** RBAC objects take effect once the API server's authorizer has seen them. */
	private static void awaitPermission(ApiClient client) throws Exception {
		Instant deadline = Instant.now().plusSeconds(30);
		while (true) {
			try {
				new AppsV1Api(client).listDeploymentForAllNamespaces().limit(1).execute();
				return;
			}
			catch (ApiException ex) {
				if (ex.getCode() != 403 || Instant.now().isAfter(deadline)) {
					throw ex;
				}
			}
			Thread.sleep(100);
		}
	}

	/** Opens a watch (one second long) and reads it to its end; a refusal fails. */
	private static void assertCanWatch(ApiClient client, okhttp3.Call call) throws Exception {
		try (Watch<Object> watch = Watch.createWatch(client, call, new TypeToken<Watch.Response<Object>>() {
		}.getType())) {
			watch.forEach((event) -> assertThat(event.type).as("watch event %s", event.object).isNotEqualTo("ERROR"));
		}
		catch (ApiException ex) {
			throw new AssertionError("The ServiceAccount may not " + call.request().url().encodedPath()
					+ "?watch: HTTP " + ex.getCode() + " " + ex.getResponseBody(), ex);
		}
	}

	private static void assertForbidden(Call call) {
		assertThatExceptionOfType(ApiException.class).isThrownBy(call::run)
			.satisfies((ex) -> assertThat(ex.getCode()).as(ex.getResponseBody()).isEqualTo(403));
	}

	private static boolean ensureNamespace(TestCluster cluster, String name) throws ApiException {
		try {
			cluster.core().createNamespace(new V1Namespace().metadata(new V1ObjectMeta().name(name))).execute();
			return true;
		}
		catch (ApiException ex) {
			if (ex.getCode() == 409) {
				return false;
			}
			throw ex;
		}
	}

	/** Lookups are cluster-wide: the host must not match an app of another test. */
	private static String uniqueHost(TestNamespace namespace) {
		return "app-" + namespace.name().substring(namespace.name().length() - 5) + ".example.test";
	}

	private static Path repositoryRoot() {
		for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
			if (Files.isRegularFile(dir.resolve("deploy/kustomization.yaml"))) {
				return dir;
			}
		}
		throw new IllegalStateException("Cannot find deploy/kustomization.yaml from " + Path.of("").toAbsolutePath());
	}

	@FunctionalInterface
	private interface Call {

		void run() throws Exception;

	}

}
