package dev.unidler.kubernetes;

import java.util.HashMap;
import java.util.Map;

import dev.unidler.cluster.RealCluster;
import dev.unidler.cluster.RecordedEvents;
import dev.unidler.cluster.TestCluster;
import dev.unidler.cluster.TestNamespace;
import dev.unidler.operation.AppLeases;
import dev.unidler.restart.AwakeWorkloads;
import dev.unidler.restart.WorkloadRef;
import dev.unidler.web.UnidlerServer;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.models.EventsV1Event;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServicePort;
import io.kubernetes.client.openapi.models.V1ServiceSpec;
import io.kubernetes.client.util.PatchUtils;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Event of an idle that a schedule asked for, on the real control plane: it names the
 * schedule and its time zone, as the app's annotations have them. An instance of its own
 * runs the schedules, so no other test's instance is stopped under it.
 */
@RealCluster
class ScheduledIdleEventsTests {

	private static final JsonMapper JSON = JsonMapper.shared();

	@Test
	void aScheduledIdleSaysWhichSchedule(TestCluster cluster, TestNamespace ns) throws Exception {
		String host = ns.host("nightly");
		WorkloadRef nightly = AwakeWorkloads.deployment(cluster, ns, "nightly", host, 1, Map.of());
		V1Service service = new V1Service().metadata(new V1ObjectMeta().name("nightly").putLabelsItem("host", host))
			.spec(new V1ServiceSpec().type("ClusterIP")
				.putSelectorItem("app", "nightly")
				.addPortsItem(new V1ServicePort().name("http").port(80)));
		cluster.core().createNamespacedService(ns.name(), service).execute();
		ObjectNode patch = JSON.createObjectNode();
		ObjectNode metadata = patch.putObject("metadata");
		metadata.putObject("labels").put(AwakeWorkloads.OPT_IN, "idle");
		metadata.putObject("annotations")
			.put("unidler.dev/idle-schedule", "*/2 * * * * *")
			.put("unidler.dev/idle-time-zone", "Europe/London");

		Map<String, String> schedules = new HashMap<>();
		schedules.put("unidler.idle.schedules", "true");
		schedules.put("unidler.idle.schedule-interval", "1s");
		schedules.put("unidler.coordination.namespace", ns.name());
		try (UnidlerServer scheduler = UnidlerServer.start(cluster, schedules)) {
			PatchUtils.patch(V1Deployment.class,
					() -> cluster.apps()
						.patchNamespacedDeployment(nightly.name(), ns.name(),
								new V1Patch(JSON.writeValueAsString(patch)))
						.buildCall(null),
					V1Patch.PATCH_FORMAT_STRATEGIC_MERGE_PATCH, cluster.apiClient());

			EventsV1Event idled = RecordedEvents.await(cluster, ns.name(), "Deployment", "nightly", "Idled");

			assertThat(idled.getNote())
				.matches("Idled in \\d+(\\.\\d)? m?s on schedule \\(\\*/2 \\* \\* \\* \\* \\*, Europe/London\\)");
			assertThat(idled.getReportingInstance()).isEqualTo(scheduler.bean(AppLeases.class).identity());
			assertThat(idled.getRegarding().getUid()).isEqualTo(
					cluster.apps().readNamespacedDeployment("nightly", ns.name()).execute().getMetadata().getUid());
		}
	}

}
