package dev.unidler.idle;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.unidler.app.AppKeys;
import dev.unidler.cluster.IdledApp;
import dev.unidler.cluster.IdledAppSpec;
import dev.unidler.cluster.RealCluster;
import dev.unidler.cluster.TestCluster;
import dev.unidler.cluster.TestNamespace;
import dev.unidler.operation.AppLeases;
import dev.unidler.operation.OperationEvent;
import dev.unidler.wake.Wakes;
import dev.unidler.web.UnidlerServer;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoordinationV1Api;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Lease;
import io.kubernetes.client.openapi.models.V1LeaseSpec;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServiceSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Idling against the real control plane: exactly the idled-state contract, a lossless
 * round trip through a wake, the exclusion with wakes in one instance and across two,
 * schedules on exactly one replica, and who may idle what.
 */
@RealCluster
class IdleTests {

	private static final String IDLER = "idler-token-0123456789abcdef0123";

	private static final String RESTARTER = "restarter-token-0123456789abcdef";

	private static final Duration TIMEOUT = Duration.ofSeconds(90);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@TempDir
	static Path files;

	private static UnidlerServer server;

	@BeforeAll
	static void start(TestCluster cluster) throws Exception {
		Path tokens = files.resolve("tokens.yaml");
		Files.writeString(tokens, """
				tokens:
				  - name: idler
				    token: "%s"
				    operations: [idle]
				    apps:
				      - host: "*.example.test"
				  - name: restarter
				    token: "%s"
				    operations: [restart]
				    apps:
				      - host: "*.example.test"
				""".formatted(IDLER, RESTARTER));
		server = UnidlerServer.start(cluster, Map.of("unidler.access.tokens-file", tokens.toString()));
	}

	@AfterAll
	static void stop() {
		server.close();
	}

	@Test
	void anIdleWritesTheContractAndAWakeGivesEveryFieldBack(TestCluster cluster, TestNamespace ns) throws Exception {
		String host = ns.host("round");
		AwakeApps.create(cluster, ns, "round", host, 3, Map.of(AwakeApps.OPT_IN, "idle"), Map.of());
		V1ServiceSpec original = cluster.core().readNamespacedService("round", ns.name()).execute().getSpec();

		idle(IDLER, ns, "round", "?wait=1m").expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("done")
			.jsonPath("$.message")
			.isEqualTo(IdlePipeline.IDLED);

		V1Deployment deployment = cluster.apps().readNamespacedDeployment("round", ns.name()).execute();
		assertThat(deployment.getSpec().getReplicas()).isZero();
		assertThat(deployment.getMetadata().getLabels()).containsEntry(IdledAppSpec.IDLED_LABEL, "true");
		assertThat(deployment.getMetadata().getAnnotations()).containsEntry(IdledAppSpec.REPLICAS_ANNOTATION, "3")
			.hasEntrySatisfying(IdledAppSpec.IDLED_AT_ANNOTATION, (at) -> {
				assertThat(at).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\+00:00");
				assertThat(Duration.between(OffsetDateTime.parse(at), OffsetDateTime.now(ZoneOffset.UTC)))
					.isLessThan(Duration.ofMinutes(2));
			});
		V1Service idled = cluster.core().readNamespacedService("round", ns.name()).execute();
		assertThat(idled.getSpec().getType()).isEqualTo("ExternalName");
		assertThat(idled.getSpec().getExternalName()).isEqualTo(IdledAppSpec.UNIDLER_NAME);
		assertThat(idled.getSpec().getSelector()).isNullOrEmpty();
		JsonNode saved = JSON.readTree(idled.getMetadata().getAnnotations().get("unidler.dev/service-spec"));
		assertThat(saved).isEqualTo(JSON.readTree("""
				{"type":"ClusterIP","selector":{"app":"round","tier":"web"},
				 "ports":[{"name":"http","protocol":"TCP","port":80,"targetPort":"http"},
				          {"name":"metrics","protocol":"TCP","port":9090,"targetPort":9090}],
				 "sessionAffinity":"ClientIP","sessionAffinityConfig":{"clientIP":{"timeoutSeconds":600}},
				 "internalTrafficPolicy":"Local","ipFamilyPolicy":"SingleStack","ipFamilies":["IPv4"]}
				"""));

		// Idling it again changes nothing, and says so.
		List<String> writesBefore = server.writesIn(ns.name());
		idle(IDLER, ns, "round", "").expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.message")
			.isEqualTo(IdlePipeline.ALREADY_IDLED);
		assertThat(server.writesIn(ns.name())).isEqualTo(writesBefore);

		OperationEvent woken = wake(server, host);
		assertThat(woken.kind()).as("end of the wake: %s", woken).isEqualTo(OperationEvent.Kind.READY);

		V1Deployment awake = AwakeApps.awaitAvailable(cluster, ns, "round", 3);
		assertThat(awake.getSpec().getReplicas()).isEqualTo(3);
		assertThat(awake.getMetadata().getLabels()).doesNotContainKey(IdledAppSpec.IDLED_LABEL);
		assertThat(awake.getMetadata().getAnnotations()).doesNotContainKeys(IdledAppSpec.REPLICAS_ANNOTATION,
				IdledAppSpec.IDLED_AT_ANNOTATION);
		V1Service restored = cluster.core().readNamespacedService("round", ns.name()).execute();
		assertThat(restored.getMetadata().getAnnotations()).doesNotContainKey("unidler.dev/service-spec");
		// Field by field; only the cluster IP is Kubernetes' to assign again.
		V1ServiceSpec spec = restored.getSpec();
		assertThat(spec.getExternalName()).isNull();
		assertThat(spec).usingRecursiveComparison().ignoringFields("clusterIP", "clusterIPs").isEqualTo(original);
	}

	@Test
	void anIdleIsRefusedWhileSomeoneWaitsForTheAppAndChangesNothing(TestCluster cluster, TestNamespace ns)
			throws Exception {
		// Its pods cannot be scheduled: the wake waits for them for a while.
		IdledApp app = ns.createIdledApp(IdledAppSpec.named("waited").host(ns.host("waited")).unschedulable(true));
		app.patchDeployment("{\"metadata\":{\"labels\":{\"" + AwakeApps.OPT_IN + "\":\"idle\"}}}");
		Wakes wakes = server.bean(Wakes.class);
		var wake = wakes.wake(server.bean(AppKeys.class).forHost(app.host()));
		wake.events().filter((event) -> "await-available".equals(event.step())).next().block(TIMEOUT);
		V1Deployment deploymentBefore = app.deployment();
		V1Service serviceBefore = app.service();

		idle(IDLER, ns, "waited", "").expectStatus()
			.isEqualTo(409)
			.expectBody()
			.jsonPath("$.reason")
			.isEqualTo("busy")
			.jsonPath("$.error")
			.isEqualTo("The app is being woken, so it was not idled: someone is waiting for it.");

		// The wake's controller updates the status; the idle changed nothing of the rest.
		V1Deployment deploymentAfter = app.deployment();
		assertThat(deploymentAfter.getMetadata().getGeneration())
			.isEqualTo(deploymentBefore.getMetadata().getGeneration());
		assertThat(deploymentAfter.getMetadata().getLabels()).isEqualTo(deploymentBefore.getMetadata().getLabels());
		assertThat(deploymentAfter.getMetadata().getAnnotations())
			.isEqualTo(deploymentBefore.getMetadata().getAnnotations());
		assertThat(app.service().getMetadata().getResourceVersion())
			.isEqualTo(serviceBefore.getMetadata().getResourceVersion());
		wake.abandon();
	}

	@Test
	void aWakeDuringAnotherReplicasIdleWaitsForItThenWakes(TestCluster cluster, TestNamespace ns) throws Exception {
		String host = ns.host("handover");
		AwakeApps.create(cluster, ns, "handover", host, 2, Map.of(AwakeApps.OPT_IN, "idle"), Map.of());
		try (UnidlerServer other = UnidlerServer.start(cluster, coordinatedIn(ns));
				UnidlerServer here = UnidlerServer.start(cluster, coordinatedIn(ns))) {
			// Another replica's idle holds the app while its writes land.
			CoordinationV1Api leases = new CoordinationV1Api(cluster.apiClient());
			String leaseName = AppLeases.leaseName(ns.name() + "/handover");
			leases
				.createNamespacedLease(ns.name(),
						new V1Lease().metadata(new V1ObjectMeta().name(leaseName))
							.spec(new V1LeaseSpec().holderIdentity("idle by another-replica 1")
								.leaseDurationSeconds(30)
								.acquireTime(OffsetDateTime.now(ZoneOffset.UTC))
								.renewTime(OffsetDateTime.now(ZoneOffset.UTC))))
				.execute();
			// Its first two steps: the app is marked and its traffic reaches the unidler.
			IdleApp app = other.bean(Idles.class).find(new IdleTarget.Named(ns.name(), "handover")).block(TIMEOUT);
			IdleSteps steps = other.bean(IdleSteps.class);
			steps.steps().get(0).run(app).blockLast(TIMEOUT);
			steps.steps().get(1).run(app).blockLast(TIMEOUT);

			var wake = here.bean(Wakes.class).wake(here.bean(AppKeys.class).forHost(host));
			OperationEvent waiting = wake.events()
				.filter((event) -> event.message() != null && event.message().contains("another unidler replica"))
				.next()
				.block(TIMEOUT);
			assertThat(waiting.message()).isEqualTo("Waiting for an idle of the app on another unidler replica to end");
			assertThat(wake.isOver()).isFalse();

			// The idle ends: scaled down, Lease released.
			steps.steps().get(2).run(app).blockLast(TIMEOUT);
			leases.deleteNamespacedLease(leaseName, ns.name()).execute();

			OperationEvent end = wake.events().last().block(TIMEOUT);
			assertThat(end.kind()).as("end of the wake: %s", end).isEqualTo(OperationEvent.Kind.READY);
		}
		V1Deployment awake = AwakeApps.awaitAvailable(cluster, ns, "handover", 2);
		assertThat(awake.getMetadata().getLabels()).doesNotContainKey(IdledAppSpec.IDLED_LABEL);
		assertThat(cluster.core().readNamespacedService("handover", ns.name()).execute().getSpec().getSelector())
			.containsOnlyKeys("app", "tier");
	}

	@Test
	void twoInstancesIdlingAndWakingAtOnceEndFullyIdledOrFullyAwake(TestCluster cluster, TestNamespace ns)
			throws Exception {
		String host = ns.host("race");
		AwakeApps.create(cluster, ns, "race", host, 3, Map.of(AwakeApps.OPT_IN, "idle"), Map.of());
		V1ServiceSpec original = cluster.core().readNamespacedService("race", ns.name()).execute().getSpec();
		try (UnidlerServer first = UnidlerServer.start(cluster, coordinatedIn(ns));
				UnidlerServer second = UnidlerServer.start(cluster, coordinatedIn(ns))) {
			int idled = 0;
			int awake = 0;
			for (int round = 0; round < 6; round++) {
				UnidlerServer idler = (round % 2 == 0) ? first : second;
				UnidlerServer waker = (round % 2 == 0) ? second : first;
				// The idle first, then wakes arriving while it runs, as requests would.
				CompletableFuture<OperationEvent> idle = CompletableFuture.supplyAsync(() -> idler.bean(Idles.class)
					.find(new IdleTarget.Named(ns.name(), "race"))
					.flatMap((app) -> idler.bean(Idles.class).request(app, "test").events().last())
					.block(TIMEOUT));
				AwakeApps.sleep(round * 15L);
				OperationEvent woken = wake(waker, host);
				OperationEvent idleEnd = idle.get();
				assertThat(woken.kind()).as("wake in round %d: %s", round, woken).isEqualTo(OperationEvent.Kind.READY);
				assertThat(idleEnd.kind()).as("idle in round %d: %s", round, idleEnd)
					.isIn(OperationEvent.Kind.READY, OperationEvent.Kind.FAILURE);
				if (isFullyIdled(cluster, ns, "race")) {
					idled++;
					// A wake that came in after the idle: the app must come back whole.
					assertThat(wake(waker, host).kind()).isEqualTo(OperationEvent.Kind.READY);
				}
				else {
					awake++;
				}
				assertFullyAwake(cluster, ns, "race", 3, original, round);
			}
			System.out.printf("idle/wake races: %d ended idled then woke, %d ended awake%n", idled, awake);
		}
	}

	@Test
	void aScheduleFiresOnExactlyOneOfTwoInstances(TestCluster cluster, TestNamespace ns) throws Exception {
		String host = ns.host("nightly");
		Map<String, String> schedule = Map.of("unidler.dev/idle-schedule", "*/2 * * * * *",
				"unidler.dev/idle-time-zone", "Europe/London");
		AwakeApps.create(cluster, ns, "nightly", host, 2, Map.of("mojanalytics.xyz/idleable", "true"), schedule);
		// Not opted in: its schedule is ignored.
		AwakeApps.create(cluster, ns, "optedout", ns.host("optedout"), 1, Map.of(), schedule);
		Map<String, String> properties = new HashMap<>(coordinatedIn(ns));
		properties.put("unidler.idle.schedules", "true");
		properties.put("unidler.idle.schedule-interval", "1s");
		try (UnidlerServer first = UnidlerServer.start(cluster, properties);
				UnidlerServer second = UnidlerServer.start(cluster, properties)) {
			long end = System.nanoTime() + TIMEOUT.toNanos();
			while (!isFullyIdled(cluster, ns, "nightly") && System.nanoTime() < end) {
				AwakeApps.sleep(200);
			}
			assertThat(isFullyIdled(cluster, ns, "nightly")).as("idled on its schedule").isTrue();
			// Looks keep coming; nothing more happens to an idled app.
			AwakeApps.sleep(3000);
			IdleSchedules one = first.bean(IdleSchedules.class);
			IdleSchedules two = second.bean(IdleSchedules.class);
			assertThat(List.of(one.isLeading(), two.isLeading())).containsExactlyInAnyOrder(true, false);
			assertThat(one.started() + two.started()).isEqualTo(1);
			assertThat((one.isLeading() ? two : one).started()).isZero();
		}
		V1Deployment optedOut = cluster.apps().readNamespacedDeployment("optedout", ns.name()).execute();
		assertThat(optedOut.getSpec().getReplicas()).isEqualTo(1);
		assertThat(optedOut.getMetadata().getLabels()).doesNotContainKey(IdledAppSpec.IDLED_LABEL);
	}

	@Test
	void anEventStreamFollowsTheIdleStepByStep(TestCluster cluster, TestNamespace ns) throws Exception {
		AwakeApps.create(cluster, ns, "streamed", ns.host("streamed"), 1, Map.of(AwakeApps.OPT_IN, "idle"), Map.of());
		List<ServerSentEvent<Map<String, Object>>> events = server.admin()
			.post()
			.uri("/api/v1/namespaces/{namespace}/deployments/{name}/idle", ns.name(), "streamed")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + IDLER)
			.accept(MediaType.TEXT_EVENT_STREAM)
			.exchange()
			.expectStatus()
			.isOk()
			.returnResult(new ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>>() {
			})
			.getResponseBody()
			.filter((event) -> event.event() != null)
			.takeUntil((event) -> "ready".equals(event.event()) || "failure".equals(event.event()))
			.collectList()
			.block(TIMEOUT);
		assertThat(events).extracting(ServerSentEvent::event).last().isEqualTo("ready");
		assertThat(events.stream().map((event) -> event.data().get("step")).distinct()).containsSubsequence("locate",
				"mark-idled", "point-service", "scale-down");
	}

	@Test
	void byHostWithTheRightTokenOnly(TestCluster cluster, TestNamespace ns) throws Exception {
		String host = ns.host("guarded");
		AwakeApps.create(cluster, ns, "guarded", host, 1, Map.of(AwakeApps.OPT_IN, "idle"), Map.of());
		AwakeApps.create(cluster, ns, "private", ns.host("private"), 1, Map.of(), Map.of());

		// No token: the app exists and opted in, so the caller is told to authenticate.
		server.admin()
			.post()
			.uri("/idle")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"host\":\"" + host + "\"}")
			.exchange()
			.expectStatus()
			.isUnauthorized();
		// A token for restarts only, an app that did not opt in, an unknown app: all
		// "not found", alike.
		idleHost(RESTARTER, host).expectStatus()
			.isNotFound()
			.expectBody()
			.jsonPath("$.error")
			.isEqualTo("Application not found.");
		idleHost(IDLER, ns.host("private")).expectStatus()
			.isNotFound()
			.expectBody()
			.jsonPath("$.error")
			.isEqualTo("Application not found.");
		idleHost(IDLER, ns.host("nothing")).expectStatus()
			.isNotFound()
			.expectBody()
			.jsonPath("$.error")
			.isEqualTo("Application not found.");
		idle(IDLER, ns, "nothing", "").expectStatus().isNotFound();
		// StatefulSets have no idled-state contract.
		server.admin()
			.post()
			.uri("/api/v1/namespaces/{namespace}/statefulsets/{name}/idle", ns.name(), "guarded")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + IDLER)
			.exchange()
			.expectStatus()
			.isEqualTo(422);
		assertThat(server.writesIn(ns.name())).isEmpty();

		idleHost(IDLER, host).expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("done");
		assertThat(isFullyIdled(cluster, ns, "guarded")).isTrue();
	}

	private static WebTestClient.ResponseSpec idle(String token, TestNamespace ns, String name, String query) {
		return server.admin()
			.post()
			.uri("/api/v1/namespaces/" + ns.name() + "/deployments/" + name + "/idle" + query)
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
			.exchange();
	}

	private static WebTestClient.ResponseSpec idleHost(String token, String host) {
		return server.admin()
			.post()
			.uri("/idle?wait=1m")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"host\":\"" + host + "\"}")
			.exchange();
	}

	private static OperationEvent wake(UnidlerServer instance, String host) {
		return instance.bean(Wakes.class)
			.wake(instance.bean(AppKeys.class).forHost(host))
			.events()
			.last()
			.block(TIMEOUT);
	}

	private static boolean isFullyIdled(TestCluster cluster, TestNamespace ns, String name) throws ApiException {
		V1Deployment deployment = cluster.apps().readNamespacedDeployment(name, ns.name()).execute();
		V1Service service = cluster.core().readNamespacedService(name, ns.name()).execute();
		Map<String, String> annotations = deployment.getMetadata().getAnnotations();
		return deployment.getSpec().getReplicas() == 0
				&& "true".equals(deployment.getMetadata().getLabels().get(IdledAppSpec.IDLED_LABEL))
				&& annotations != null && annotations.containsKey(IdledAppSpec.REPLICAS_ANNOTATION)
				&& "ExternalName".equals(service.getSpec().getType()) && service.getMetadata().getAnnotations() != null
				&& service.getMetadata().getAnnotations().containsKey("unidler.dev/service-spec");
	}

	private static void assertFullyAwake(TestCluster cluster, TestNamespace ns, String name, int replicas,
			V1ServiceSpec original, int round) throws ApiException {
		V1Deployment deployment = AwakeApps.awaitAvailable(cluster, ns, name, replicas);
		assertThat(deployment.getSpec().getReplicas()).as("replicas after round %d", round).isEqualTo(replicas);
		assertThat(deployment.getMetadata().getLabels()).as("labels after round %d", round)
			.doesNotContainKey(IdledAppSpec.IDLED_LABEL);
		V1ServiceSpec spec = cluster.core().readNamespacedService(name, ns.name()).execute().getSpec();
		assertThat(spec).as("Service after round %d", round)
			.usingRecursiveComparison()
			.ignoringFields("clusterIP", "clusterIPs")
			.isEqualTo(original);
	}

	private static Map<String, String> coordinatedIn(TestNamespace ns) {
		return Map.of("unidler.coordination.namespace", ns.name());
	}

}
