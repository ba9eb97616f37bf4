package dev.unidler.kubernetes;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.unidler.cluster.IdledApp;
import dev.unidler.cluster.IdledAppSpec;
import dev.unidler.cluster.RealCluster;
import dev.unidler.cluster.RecordedEvents;
import dev.unidler.cluster.TestCluster;
import dev.unidler.cluster.TestNamespace;
import dev.unidler.operation.AppLeases;
import dev.unidler.restart.AwakeWorkloads;
import dev.unidler.restart.WorkloadRef;
import dev.unidler.web.UnidlerServer;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.EventsV1Event;
import io.kubernetes.client.openapi.models.V1Deployment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Events every operation leaves on its workload, read back from the real control
 * plane as {@code kubectl describe} finds them: by the workload's kind, name, namespace
 * and uid. A wake through the HTTP path, an idle asked for on the admin API, a restart
 * with who asked and why, and a failed wake whose repetition patches one series instead
 * of creating a second Event. {@link ScheduledIdleEventsTests} has the scheduled idle.
 */
@RealCluster
class KubernetesEventsTests {

	private static final String IDLER = "idler-token-0123456789abcdef0123";

	private static final String DEPLOYER = "deployer-token-0123456789abcdef0";

	private static final String CONTROLLER = "unidler.dev/unidler";

	private static final Duration TIMEOUT = Duration.ofSeconds(90);

	@TempDir
	static Path files;

	private static UnidlerServer server;

	@BeforeAll
	static void start(TestCluster cluster) throws Exception {
		Path tokens = files.resolve("tokens.yaml");
		Files.writeString(tokens, """
				tokens:
				  - name: ops-idler
				    token: "%s"
				    operations: [idle]
				    apps:
				      - host: "*.example.test"
				  - name: ci-deploy
				    token: "%s"
				    operations: [restart]
				    apps:
				      - host: "*.example.test"
				""".formatted(IDLER, DEPLOYER));
		server = UnidlerServer.start(cluster, Map.of("unidler.access.tokens-file", tokens.toString(),
				"unidler.wake.unschedulable-grace", "1s", "unidler.restart.recheck", "1s"));
	}

	@AfterAll
	static void stop() {
		server.close();
	}

	@Test
	void aWakeAndAnIdleAreRecordedOnTheDeployment(TestCluster cluster, TestNamespace ns) throws Exception {
		IdledApp app = ns.createIdledApp(IdledAppSpec.named("web").host(ns.host("web")));

		assertThat(server.events(app.host())).last().extracting(ServerSentEvent::event).isEqualTo("ready");

		EventsV1Event woken = RecordedEvents.await(cluster, ns.name(), "Deployment", "web", "Woken");
		assertRecordedBy(woken, app.deployment(), "Normal", "Wake");
		assertThat(woken.getNote())
			.matches("Woken in \\d+(\\.\\d)? m?s for a request to " + app.host().replace(".", "\\."));

		// Opted in to idling, then idled on the admin API by a token.
		app.patchDeployment("{\"metadata\":{\"labels\":{\"" + AwakeWorkloads.OPT_IN + "\":\"idle\"}}}");
		server.admin()
			.post()
			.uri("/api/v1/namespaces/{namespace}/deployments/{name}/idle?wait=1m", ns.name(), "web")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + IDLER)
			.exchange()
			.expectStatus()
			.isOk();

		EventsV1Event idled = RecordedEvents.await(cluster, ns.name(), "Deployment", "web", "Idled");
		assertRecordedBy(idled, app.deployment(), "Normal", "Idle");
		assertThat(idled.getNote()).matches("Idled in \\d+(\\.\\d)? m?s, asked by ops-idler");
		// The token itself appears nowhere.
		assertThat(RecordedEvents.on(cluster, ns.name(), "Deployment", "web")).extracting(EventsV1Event::getNote)
			.noneMatch((note) -> note.contains(IDLER));
	}

	@Test
	void aRestartIsRecordedWithWhoAskedAndWhy(TestCluster cluster, TestNamespace ns) throws Exception {
		WorkloadRef api = AwakeWorkloads.deployment(cluster, ns, "api", ns.host("api"), 1, Map.of());

		server.admin()
			.post()
			.uri("/api/v1/namespaces/{namespace}/deployments/{name}/restart?wait=1m", ns.name(), "api")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + DEPLOYER)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("reason", "nightly data load"))
			.exchange()
			.expectStatus()
			.isOk();

		V1Deployment deployment = cluster.apps().readNamespacedDeployment(api.name(), ns.name()).execute();
		EventsV1Event requested = RecordedEvents.await(cluster, ns.name(), "Deployment", "api", "RestartRequested");
		assertRecordedBy(requested, deployment, "Normal", "Restart");
		assertThat(requested.getNote()).isEqualTo("Restart requested by ci-deploy: nightly data load");
		EventsV1Event restarted = RecordedEvents.await(cluster, ns.name(), "Deployment", "api", "Restarted");
		assertRecordedBy(restarted, deployment, "Normal", "Restart");
		assertThat(restarted.getNote())
			.matches("Restarted in \\d+(\\.\\d)? m?s, asked by ci-deploy: every pod is new and available");
	}

	@Test
	void aFailedWakeIsAWarningAndItsRepetitionCountsInOneSeries(TestCluster cluster, TestNamespace ns)
			throws Exception {
		IdledApp app = ns.createIdledApp(IdledAppSpec.named("stuck").host(ns.host("stuck")).unschedulable(true));

		List<ServerSentEvent<Map<String, Object>>> first = server.events(app.host());
		assertThat(first).last().satisfies((end) -> {
			assertThat(end.event()).isEqualTo("failure");
			assertThat(end.data().get("reason")).isEqualTo("app-cannot-start");
		});

		EventsV1Event failed = RecordedEvents.await(cluster, ns.name(), "Deployment", "stuck", "WakeFailed");
		assertRecordedBy(failed, app.deployment(), "Warning", "Wake");
		assertThat(failed.getNote()).startsWith("Wake failed (app-cannot-start) for a request to " + app.host()
				+ ": The app cannot start: Unschedulable.");
		assertThat(failed.getSeries()).isNull();

		// The same failure again: the same Event, counted, not a second object.
		assertThat(server.events(app.host())).last().extracting(ServerSentEvent::event).isEqualTo("failure");
		EventsV1Event counted = awaitSeries(cluster, ns, "stuck", 2);
		assertThat(counted.getMetadata().getName()).isEqualTo(failed.getMetadata().getName());
		assertThat(counted.getSeries().getLastObservedTime()).isAfter(failed.getEventTime());
		// The deployment controller's Events are there too; the unidler's is one.
		assertThat(RecordedEvents.on(cluster, ns.name(), "Deployment", "stuck"))
			.filteredOn((event) -> CONTROLLER.equals(event.getReportingController()))
			.singleElement();
		assertThat(server.eventWritesIn(ns.name())).containsExactly(
				"POST /apis/events.k8s.io/v1/namespaces/" + ns.name() + "/events",
				"PATCH /apis/events.k8s.io/v1/namespaces/" + ns.name() + "/events/" + failed.getMetadata().getName());
	}

	/** Who wrote the Event, about what, and how: what {@code kubectl describe} needs. */
	private static void assertRecordedBy(EventsV1Event event, V1Deployment deployment, String type, String action) {
		assertThat(event.getType()).isEqualTo(type);
		assertThat(event.getAction()).isEqualTo(action);
		assertThat(event.getReportingController()).isEqualTo(CONTROLLER);
		assertThat(event.getReportingInstance()).isEqualTo(server.bean(AppLeases.class).identity());
		assertThat(event.getEventTime()).isNotNull();
		assertThat(event.getRegarding().getApiVersion()).isEqualTo("apps/v1");
		assertThat(event.getRegarding().getKind()).isEqualTo("Deployment");
		assertThat(event.getRegarding().getNamespace()).isEqualTo(deployment.getMetadata().getNamespace());
		assertThat(event.getRegarding().getName()).isEqualTo(deployment.getMetadata().getName());
		assertThat(event.getRegarding().getUid()).isEqualTo(deployment.getMetadata().getUid());
		assertThat(event.getMetadata().getNamespace()).isEqualTo(deployment.getMetadata().getNamespace());
	}

	private static EventsV1Event awaitSeries(TestCluster cluster, TestNamespace ns, String name, int count)
			throws ApiException, InterruptedException {
		long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		while (true) {
			EventsV1Event event = RecordedEvents.await(cluster, ns.name(), "Deployment", name, "WakeFailed");
			if (event.getSeries() != null && event.getSeries().getCount() == count) {
				return event;
			}
			if (System.nanoTime() > end) {
				throw new AssertionError("No series of " + count + " on " + name + ": " + event);
			}
			Thread.sleep(200);
		}
	}

}
