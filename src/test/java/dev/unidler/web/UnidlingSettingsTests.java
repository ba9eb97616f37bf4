package dev.unidler.web;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.unidler.cluster.IdledApp;
import dev.unidler.cluster.IdledAppSpec;
import dev.unidler.cluster.RealCluster;
import dev.unidler.cluster.TestCluster;
import dev.unidler.cluster.TestNamespace;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.util.PatchUtils;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Schedulers;

import org.springframework.http.codec.ServerSentEvent;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The unidler under settings other than the defaults, and across a restart; each test
 * starts its own instance.
 */
@RealCluster
class UnidlingSettingsTests {

	@Test
	void theUnidleKeyLabelMatchesTheFirstDnsLabelOfTheHost(TestCluster cluster, TestNamespace ns) {
		String key = UnidlingTests.host(ns, "keyed").split("\\.")[0];
		IdledApp app = ns.createIdledApp(IdledAppSpec.named("keyed")
			.host(key + ".apps.example.test")
			.lookupLabel("unidle-key")
			.lookupValue(key));
		try (UnidlerServer server = UnidlerServer.start(cluster, Map.of("unidler.labels.lookup", "unidle-key"))) {
			assertThat(server.events(app.host())).last().extracting(ServerSentEvent::event).isEqualTo("ready");
			// Any host whose first label is the key finds the same app.
			assertThat(server.events(key + ".elsewhere.example.test")).last()
				.extracting(ServerSentEvent::event)
				.isEqualTo("ready");
		}
		assertThat(app.deployment().getMetadata().getLabels()).doesNotContainKey(IdledAppSpec.IDLED_LABEL);
	}

	@Test
	void aWakeThatOutlivesTheDeadlineFails(TestCluster cluster, TestNamespace ns) {
		IdledApp app = ns
			.createIdledApp(IdledAppSpec.named("slow").host(UnidlingTests.host(ns, "slow")).unschedulable(true));
		try (UnidlerServer server = UnidlerServer.start(cluster,
				Map.of("unidler.wake.deadline", "4s", "unidler.wake.unschedulable-grace", "10m"))) {
			List<ServerSentEvent<Map<String, Object>>> events = server.events(app.host());
			assertThat(events).last().satisfies((event) -> {
				assertThat(event.event()).isEqualTo("failure");
				assertThat(event.data()).containsEntry("reason", "deadline").containsEntry("step", "await-available");
				assertThat((String) event.data().get("message")).contains("4 seconds");
			});
		}
	}

	@Test
	void aWakeCutShortByARestartIsFinishedByTheNextRequest(TestCluster cluster, TestNamespace ns) throws Exception {
		IdledApp app = ns
			.createIdledApp(IdledAppSpec.named("restart").host(UnidlingTests.host(ns, "restart")).unschedulable(true));
		// The first instance gets as far as waiting for pods that cannot start, then
		// stops
		// without waiting for its wake.
		try (UnidlerServer first = UnidlerServer.start(cluster, Map.of("unidler.wake.unschedulable-grace", "10m",
				"spring.lifecycle.timeout-per-shutdown-phase", "1s"))) {
			first.eventStream(app.host(), null)
				.filter((event) -> "await-available".equals(event.data().get("step")))
				.blockFirst(Duration.ofSeconds(60));
		}
		V1Deployment halfWoken = app.deployment();
		assertThat(halfWoken.getSpec().getReplicas()).isEqualTo(3);
		assertThat(halfWoken.getMetadata().getLabels()).containsKey(IdledAppSpec.IDLED_LABEL);
		assertThat(app.service().getSpec().getType()).isEqualTo("ExternalName");

		// Meanwhile the pods become schedulable, and a new instance takes the next
		// request.
		String dropNodeSelector = "{\"spec\":{\"template\":{\"spec\":{\"nodeSelector\":null}}}}";
		PatchUtils.patch(V1Deployment.class,
				() -> cluster.apps()
					.patchNamespacedDeployment("restart", ns.name(), new V1Patch(dropNodeSelector))
					.buildCall(null),
				V1Patch.PATCH_FORMAT_STRATEGIC_MERGE_PATCH, cluster.apiClient());
		try (UnidlerServer second = UnidlerServer.start(cluster, Map.of())) {
			List<ServerSentEvent<Map<String, Object>>> events = second.events(app.host());
			assertThat(events).last().extracting(ServerSentEvent::event).isEqualTo("ready");
			assertThat(events).filteredOn((event) -> "restore-replicas".equals(event.data().get("step")))
				.extracting((event) -> event.data().get("message"))
				.contains("Already asked for 3 replicas");
			// The second instance only did what was left.
			assertThat(second.writesIn(ns.name())).containsExactly(
					"PATCH /apis/apps/v1/namespaces/" + ns.name() + "/deployments/restart",
					"PATCH /api/v1/namespaces/" + ns.name() + "/services/restart");
		}
		assertThat(app.deployment().getMetadata().getLabels()).doesNotContainKey(IdledAppSpec.IDLED_LABEL);
		assertThat(app.service().getSpec().getType()).isEqualTo("ClusterIP");
	}

	@Test
	void aReconnectWithLastEventIdResumesTheSameWake(TestCluster cluster, TestNamespace ns) {
		IdledApp app = ns
			.createIdledApp(IdledAppSpec.named("resume").host(UnidlingTests.host(ns, "resume")).unschedulable(true));
		try (UnidlerServer server = UnidlerServer.start(cluster, Map.of("unidler.wake.unschedulable-grace", "10m"))) {
			List<ServerSentEvent<Map<String, Object>>> firstConnection = server.eventStream(app.host(), null)
				.take(4)
				.collectList()
				.subscribeOn(Schedulers.boundedElastic())
				.block(Duration.ofSeconds(30));
			String lastId = firstConnection.get(3).id();

			List<ServerSentEvent<Map<String, Object>>> resumed = server.eventStream(app.host(), lastId)
				.take(1)
				.collectList()
				.block(Duration.ofSeconds(30));

			assertThat(resumed).singleElement().satisfies((event) -> {
				assertThat(event.data().get("wake")).isEqualTo(firstConnection.get(0).data().get("wake"));
				assertThat(((Number) event.data().get("sequence")).longValue()).isEqualTo(5);
			});
			assertThat(server.writesIn(ns.name())).hasSize(1);
		}
	}

}
