package dev.unidler.web;

import java.util.List;
import java.util.Map;

import dev.unidler.cluster.IdledApp;
import dev.unidler.cluster.IdledAppSpec;
import dev.unidler.cluster.RealCluster;
import dev.unidler.cluster.TestCluster;
import dev.unidler.cluster.TestNamespace;
import io.kubernetes.client.openapi.models.V1HTTPIngressPath;
import io.kubernetes.client.openapi.models.V1HTTPIngressRuleValue;
import io.kubernetes.client.openapi.models.V1Ingress;
import io.kubernetes.client.openapi.models.V1IngressBackend;
import io.kubernetes.client.openapi.models.V1IngressRule;
import io.kubernetes.client.openapi.models.V1IngressServiceBackend;
import io.kubernetes.client.openapi.models.V1IngressSpec;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1ServiceBackendPort;
import io.kubernetes.client.openapi.apis.NetworkingV1Api;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.http.codec.ServerSentEvent;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the unidler may change, on the real control plane: only idled apps wake, only
 * Services that point at the unidler are repointed, and another tenant's labels cannot
 * block or take over an app.
 */
@RealCluster
class WakeGuardsTests {

	private static UnidlerServer server;

	@BeforeAll
	static void startUnidler(TestCluster cluster) {
		server = UnidlerServer.start(cluster, Map.of());
	}

	@AfterAll
	static void stopUnidler() {
		server.close();
	}

	@Test
	void aDeploymentScaledToZeroOnPurposeBehindANormalServiceStaysAtZero(TestNamespace ns) {
		IdledApp app = ns.createIdledApp(IdledAppSpec.named("stopped").host(UnidlingTests.host(ns, "stopped")));
		// Someone stopped it on purpose: no idled marks, and its Service routes to its
		// pods as usual.
		app.patchDeployment("{\"metadata\":{\"labels\":{\"" + IdledAppSpec.IDLED_LABEL + "\":null},"
				+ "\"annotations\":{\"" + IdledAppSpec.IDLED_AT_ANNOTATION + "\":null,\""
				+ IdledAppSpec.REPLICAS_ANNOTATION + "\":null}}}");
		app.patchService(
				"{\"spec\":{\"type\":\"ClusterIP\",\"externalName\":null,\"selector\":{\"app\":\"stopped\"}}}");

		List<ServerSentEvent<Map<String, Object>>> events = server.events(app.host());

		assertThat(events).last().satisfies((event) -> {
			assertThat(event.event()).isEqualTo("failure");
			assertThat(event.data()).containsEntry("reason", "not-idled").containsEntry("step", "locate");
		});
		assertThat(server.writesIn(ns.name())).isEmpty();
		assertThat(app.deployment().getSpec().getReplicas()).isZero();
	}

	@Test
	void anExternalNameServiceForAnOutsideDatabaseIsNotRewritten(TestNamespace ns) {
		IdledApp app = ns.createIdledApp(
				IdledAppSpec.named("db").host(UnidlingTests.host(ns, "db")).externalName("postgres.rds.example.com"));

		List<ServerSentEvent<Map<String, Object>>> events = server.events(app.host());

		assertThat(events).last().satisfies((event) -> {
			assertThat(event.event()).isEqualTo("failure");
			assertThat(event.data()).containsEntry("reason", "not-idled");
		});
		assertThat(server.writesIn(ns.name())).isEmpty();
		assertThat(app.service().getSpec().getType()).isEqualTo("ExternalName");
		assertThat(app.service().getSpec().getExternalName()).isEqualTo("postgres.rds.example.com");
		assertThat(app.deployment().getSpec().getReplicas()).isZero();
	}

	@Test
	void appsIdledWithTheOldIdlersNameStillWake(TestNamespace ns) {
		IdledApp app = ns.createIdledApp(IdledAppSpec.named("old")
			.host(UnidlingTests.host(ns, "old"))
			.externalName(IdledAppSpec.OLD_UNIDLER_NAME));

		assertThat(server.events(app.host())).last().extracting(ServerSentEvent::event).isEqualTo("ready");
		assertThat(app.service().getSpec().getType()).isEqualTo("ClusterIP");
		assertThat(app.deployment().getSpec().getReplicas()).isEqualTo(3);
	}

	@Test
	void aDecoyInAnotherNamespaceCanNeitherBlockNorTakeOverTheVictimsApp(TestNamespace victim) throws Exception {
		String host = UnidlingTests.host(victim, "victim");
		IdledApp app = victim.createIdledApp(IdledAppSpec.named("app").host(host));
		ingress(victim, "app", host);
		TestNamespace attacker = victim.sibling("decoy");
		try {
			// Another tenant labels its own Deployment and Service with the victim's
			// host.
			IdledApp decoy = attacker.createIdledApp(IdledAppSpec.named("bait").host(host));

			List<ServerSentEvent<Map<String, Object>>> events = server.events(host);

			assertThat(events).last().extracting(ServerSentEvent::event).isEqualTo("ready");
			assertThat(app.deployment().getSpec().getReplicas()).isEqualTo(3);
			assertThat(app.service().getSpec().getType()).isEqualTo("ClusterIP");
			assertThat(server.writesIn(attacker.name())).isEmpty();
			assertThat(decoy.deployment().getSpec().getReplicas()).isZero();
			assertThat(decoy.service().getSpec().getType()).isEqualTo("ExternalName");
		}
		finally {
			attacker.delete();
		}
	}

	/**
	 * The Ingress an ingress controller would route the host by, to the app's Service.
	 */
	private static void ingress(TestNamespace ns, String service, String host) throws Exception {
		V1Ingress ingress = new V1Ingress().metadata(new V1ObjectMeta().name(service).namespace(ns.name()))
			.spec(new V1IngressSpec().addRulesItem(new V1IngressRule().host(host)
				.http(new V1HTTPIngressRuleValue().addPathsItem(new V1HTTPIngressPath().path("/")
					.pathType("Prefix")
					.backend(new V1IngressBackend().service(new V1IngressServiceBackend().name(service)
						.port(new V1ServiceBackendPort().number(80))))))));
		new NetworkingV1Api(ns.cluster().apiClient()).createNamespacedIngress(ns.name(), ingress).execute();
	}

}
