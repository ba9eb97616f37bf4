package dev.unidler.deploy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.unidler.UnidlerApplication;
import dev.unidler.app.AppKeys;
import dev.unidler.cluster.IdledApp;
import dev.unidler.cluster.IdledAppSpec;
import dev.unidler.cluster.RealCluster;
import dev.unidler.cluster.RecordedEvents;
import dev.unidler.cluster.TestCluster;
import dev.unidler.cluster.TestNamespace;
import dev.unidler.operation.OperationEvent;
import dev.unidler.wake.Wakes;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.apis.RbacAuthorizationV1Api;
import io.kubernetes.client.openapi.models.RbacV1Subject;
import io.kubernetes.client.openapi.models.V1Role;
import io.kubernetes.client.openapi.models.V1RoleBinding;
import io.kubernetes.client.util.Yaml;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The namespaced install of {@code deploy/namespaced/}: with only the Role in the app's
 * namespace (no ClusterRole), the unidler told to look there wakes the app, and its
 * account can read nothing elsewhere.
 */
@RealCluster
class NamespacedInstallTests {

	private static final Path ROOT = Path.of("").toAbsolutePath();

	@Test
	void theOverlayHasNoClusterWideRole(TestCluster cluster) throws Exception {
		Kubectl.Result rendered = Kubectl.find(cluster.kubeconfig(), ROOT).run("kustomize", "deploy/namespaced");
		assertThat(rendered.exitCode()).as(rendered.output()).isZero();
		assertThat(rendered.stdout()).doesNotContain("kind: ClusterRole")
			.contains("kind: Role\n")
			.contains("name: UNIDLER_NAMESPACES");
	}

	@Test
	void aRoleInTheAppsNamespaceIsEnoughToWakeIt(TestCluster cluster, TestNamespace namespace) throws Exception {
		IdledApp app = namespace.createIdledApp(IdledAppSpec.named("team")
			.host("team-" + namespace.name().substring(namespace.name().lastIndexOf('-') + 1) + ".example.test"));
		ApiClient account = bindRole(cluster, namespace);

		try (ConfigurableApplicationContext unidler = new SpringApplicationBuilder(UnidlerApplication.class)
			.initializers(
					(context) -> ((GenericApplicationContext) context).registerBean(ApiClient.class, () -> account))
			.run("--server.port=0", "--server.address=127.0.0.1", "--unidler.wake.deadline=60s",
					"--unidler.namespaces=" + namespace.name(),
					"--unidler.coordination.namespace=" + namespace.name())) {
			OperationEvent end = unidler.getBean(Wakes.class)
				.wake(unidler.getBean(AppKeys.class).forHost(app.host()))
				.events()
				.last()
				.block(Duration.ofSeconds(90));
			assertThat(end.kind()).as("end of the wake: %s", end).isEqualTo(OperationEvent.Kind.READY);
		}
		assertThat(app.service().getSpec().getType()).isEqualTo("ClusterIP");
		// The Role lets it record the wake on the Deployment.
		String note = RecordedEvents.await(cluster, namespace.name(), "Deployment", app.name(), "Woken").getNote();
		assertThat(note).startsWith("Woken in ");
		// And kubectl describe tells it, as it finds Events: by the Deployment's uid.
		Kubectl.Result described = Kubectl.find(cluster.kubeconfig(), ROOT)
			.run("describe", "deployment", app.name(), "-n", namespace.name());
		assertThat(described.exitCode()).as(described.output()).isZero();
		assertThat(described.stdout()).containsPattern("Normal\\s+Woken").contains("unidler.dev/unidler", note);
		AppsV1Api apps = new AppsV1Api(account);
		assertThatExceptionOfType(ApiException.class).isThrownBy(() -> apps.listDeploymentForAllNamespaces().execute())
			.satisfies((ex) -> assertThat(ex.getCode()).isEqualTo(403));
		assertThatExceptionOfType(ApiException.class)
			.isThrownBy(() -> apps.listNamespacedDeployment("default").execute())
			.satisfies((ex) -> assertThat(ex.getCode()).isEqualTo(403));
	}

	/**
	 * The overlay's Role and RoleBinding, in the test's namespace, for its
	 * ServiceAccount.
	 */
	private static ApiClient bindRole(TestCluster cluster, TestNamespace namespace) throws Exception {
		List<Object> objects = Yaml.loadAll(ROOT.resolve("deploy/namespaced/role.yaml").toFile());
		V1Role role = objects.stream()
			.filter(V1Role.class::isInstance)
			.map(V1Role.class::cast)
			.findFirst()
			.orElseThrow();
		V1RoleBinding binding = objects.stream()
			.filter(V1RoleBinding.class::isInstance)
			.map(V1RoleBinding.class::cast)
			.findFirst()
			.orElseThrow();
		role.getMetadata().setNamespace(namespace.name());
		binding.getMetadata().setNamespace(namespace.name());
		for (RbacV1Subject subject : binding.getSubjects()) {
			subject.setNamespace(namespace.name());
		}
		RbacAuthorizationV1Api rbac = new RbacAuthorizationV1Api(cluster.apiClient());
		rbac.createNamespacedRole(namespace.name(), role).execute();
		rbac.createNamespacedRoleBinding(namespace.name(), binding).execute();
		// And the Leases' Role, as if the unidler were installed in this namespace.
		List<Object> leases = Yaml.loadAll(ROOT.resolve("deploy/base/rbac-leases.yaml").toFile());
		for (Object object : leases) {
			if (object instanceof V1Role leasesRole) {
				rbac.createNamespacedRole(namespace.name(), leasesRole).execute();
			}
			else if (object instanceof V1RoleBinding leasesBinding) {
				leasesBinding.getSubjects().forEach((subject) -> subject.setNamespace(namespace.name()));
				rbac.createNamespacedRoleBinding(namespace.name(), leasesBinding).execute();
			}
		}
		ApiClient account = namespace.serviceAccountClient(binding.getSubjects().get(0).getName());
		long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (true) {
			try {
				new AppsV1Api(account).listNamespacedDeployment(namespace.name()).execute();
				return account;
			}
			catch (ApiException ex) {
				if (ex.getCode() != 403 || System.nanoTime() > end) {
					throw ex;
				}
				Thread.sleep(200);
			}
		}
	}

}
