package dev.unidler.web;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

import dev.unidler.cluster.IdledApp;
import dev.unidler.cluster.IdledAppSpec;
import dev.unidler.cluster.RealCluster;
import dev.unidler.cluster.TestCluster;
import dev.unidler.cluster.TestNamespace;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1EndpointSlice;
import io.kubernetes.client.openapi.models.V1Service;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The unidler end to end, through HTTP, against the real control plane: what a browser's
 * EventSource receives and what the cluster looks like afterwards.
 */
@RealCluster
class UnidlingTests {

	private static UnidlerServer server;

	@BeforeAll
	static void startUnidler(TestCluster cluster) {
		server = UnidlerServer.start(cluster, Map.of("unidler.wake.unschedulable-grace", "2s"));
	}

	/**
	 * client-java blocks; every one of its requests in all the tests above must have left
	 * the Netty event loop first.
	 */
	@AfterAll
	static void noKubernetesRequestRanOnTheEventLoop() {
		try {
			assertThat(server.requestThreads()).isNotEmpty()
				// Calls run on their own threads; the informers' watches on theirs.
				.allMatch((thread) -> thread.startsWith("kubernetes-") || thread.startsWith("controller-reflector-"))
				.noneMatch((thread) -> thread.contains("reactor-http") || thread.contains("non-blocking"));
		}
		finally {
			server.close();
		}
	}

	@Test
	void wakesAnIdledAppAndReportsEveryStepInOrder(TestNamespace ns) throws Exception {
		IdledApp app = ns.createIdledApp(IdledAppSpec.named("app").host(host(ns, "app")));

		List<ServerSentEvent<Map<String, Object>>> events = server.events(app.host());

		assertThat(UnidlerServer.names(events)).containsSubsequence("progress locate running", "progress locate done",
				"progress restore-replicas done", "progress await-available running", "progress await-available done",
				"progress mark-awake done", "progress repoint-service done", "progress await-routable done",
				"ready await-routable done");
		assertThat(events).last().extracting(ServerSentEvent::event).isEqualTo("ready");
		assertThat(events).extracting(ServerSentEvent::id)
			.allMatch((id) -> id.startsWith(events.get(0).data().get("wake") + "-"));
		assertThat(events).allMatch((event) -> event.retry() != null);
		assertThat(events).anyMatch((event) -> Integer.valueOf(3).equals(event.data().get("desired")));

		V1Deployment deployment = app.awaitAvailable(3, Duration.ofSeconds(30));
		assertThat(deployment.getSpec().getReplicas()).isEqualTo(3);
		assertThat(deployment.getMetadata().getLabels()).doesNotContainKey(IdledAppSpec.IDLED_LABEL)
			.containsEntry("host", app.host());
		assertThat(deployment.getMetadata().getAnnotations()).doesNotContainKeys(IdledAppSpec.IDLED_AT_ANNOTATION,
				IdledAppSpec.REPLICAS_ANNOTATION);
		V1Service service = app.service();
		assertThat(service.getSpec().getType()).isEqualTo("ClusterIP");
		assertThat(service.getSpec().getExternalName()).isNull();
		assertThat(service.getSpec().getClusterIP()).isNotBlank();
		assertThat(service.getSpec().getSelector()).isEqualTo(Map.of("app", "app"));
		assertThat(service.getSpec().getPorts()).singleElement().satisfies((port) -> {
			assertThat(port.getPort()).isEqualTo(80);
			assertThat(port.getTargetPort().getIntValue()).isEqualTo(3000);
		});
		List<V1EndpointSlice> slices = ns.cluster()
			.discovery()
			.listNamespacedEndpointSlice(ns.name())
			.labelSelector("kubernetes.io/service-name=app")
			.execute()
			.getItems();
		assertThat(slices).flatMap(V1EndpointSlice::getEndpoints)
			.filteredOn((endpoint) -> !Boolean.FALSE.equals(endpoint.getConditions().getReady()))
			.isNotEmpty();
	}

	@Test
	void restoresTheReplicaCountOfTheLegacyIdledAtAnnotation(TestNamespace ns) {
		IdledApp app = ns.createIdledApp(IdledAppSpec.named("legacy")
			.host(host(ns, "app"))
			.replicasAnnotation(null)
			.idledAt("2018-02-07T11:44:20+00:00,2"));

		assertThat(server.events(app.host())).last().extracting(ServerSentEvent::event).isEqualTo("ready");
		assertThat(app.deployment().getSpec().getReplicas()).isEqualTo(2);
		assertThat(app.deployment().getMetadata().getAnnotations()).doesNotContainKey(IdledAppSpec.IDLED_AT_ANNOTATION);
	}

	@Test
	void restoresOneReplicaWhenTheCountIsMissingOrGarbage(TestNamespace ns) {
		IdledApp missing = ns
			.createIdledApp(IdledAppSpec.named("missing").host(host(ns, "missing")).replicasAnnotation(null));
		IdledApp garbage = ns
			.createIdledApp(IdledAppSpec.named("garbage").host(host(ns, "garbage")).replicasAnnotation("lots"));

		assertThat(server.events(missing.host())).last().extracting(ServerSentEvent::event).isEqualTo("ready");
		assertThat(server.events(garbage.host())).last().extracting(ServerSentEvent::event).isEqualTo("ready");
		assertThat(missing.deployment().getSpec().getReplicas()).isEqualTo(1);
		assertThat(garbage.deployment().getSpec().getReplicas()).isEqualTo(1);
	}

	@Test
	void anAwakeAppIsReadyAtOnceWithoutWrites(TestNamespace ns) {
		IdledApp app = ns.createIdledApp(IdledAppSpec.named("awake").host(host(ns, "app")));
		assertThat(server.events(app.host())).last().extracting(ServerSentEvent::event).isEqualTo("ready");
		int writesAfterWake = server.writesIn(ns.name()).size();

		// The request reached the unidler while routes were still being updated.
		List<ServerSentEvent<Map<String, Object>>> again = server.events(app.host());

		assertThat(UnidlerServer.names(again)).containsExactly("progress locate running", "progress locate done",
				"ready locate done");
		assertThat(server.writesIn(ns.name())).hasSize(writesAfterWake);
	}

	@Test
	void anUnknownHostGetsAFailureAndChangesNothing(TestNamespace ns) {
		String host = host(ns, "nobody");
		List<ServerSentEvent<Map<String, Object>>> events = server.events(host);

		assertThat(events).last().satisfies((event) -> {
			assertThat(event.event()).isEqualTo("failure");
			assertThat(event.data()).containsEntry("reason", "unknown-app");
			assertThat((String) event.data().get("message")).contains(host).doesNotContain("Exception");
		});
		server.http()
			.get()
			.uri("/some/page")
			.header(HttpHeaders.HOST, host)
			.accept(MediaType.TEXT_HTML)
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectBody(String.class)
			.value((page) -> assertThat(page).contains("No app is registered for " + host));
		assertThat(server.writesIn(ns.name())).isEmpty();
	}

	@Test
	void twoMatchingDeploymentsGetAFailureAndChangeNothing(TestNamespace ns) {
		String host = host(ns, "twice");
		IdledApp first = ns.createIdledApp(IdledAppSpec.named("first").host(host));
		IdledApp second = ns.createIdledApp(IdledAppSpec.named("second").host(host));

		assertThat(server.events(host)).last().satisfies((event) -> {
			assertThat(event.event()).isEqualTo("failure");
			assertThat(event.data()).containsEntry("reason", "ambiguous-app");
		});
		assertThat(server.writesIn(ns.name())).isEmpty();
		for (IdledApp app : List.of(first, second)) {
			assertThat(app.deployment().getSpec().getReplicas()).isZero();
			assertThat(app.deployment().getMetadata().getLabels()).containsKey(IdledAppSpec.IDLED_LABEL);
			assertThat(app.service().getSpec().getType()).isEqualTo("ExternalName");
		}
	}

	@Test
	void anInvalidHostIsRefused() {
		for (String host : List.of("bad_host", "-leading.example.test", "a..b", "[::1]:8080", "x".repeat(64) + ".test",
				"host:port")) {
			server.http()
				.get()
				.uri("/events")
				.header(HttpHeaders.HOST, host)
				.accept(MediaType.TEXT_EVENT_STREAM)
				.exchange()
				.expectStatus()
				.isBadRequest();
		}
	}

	@Test
	void podsThatCanNeverBeScheduledFailTheWakeWithTheReason(TestNamespace ns) {
		IdledApp app = ns.createIdledApp(IdledAppSpec.named("stuck").host(host(ns, "app")).unschedulable(true));

		List<ServerSentEvent<Map<String, Object>>> events = server.events(app.host());

		assertThat(events).last().satisfies((event) -> {
			assertThat(event.event()).isEqualTo("failure");
			assertThat(event.data()).containsEntry("reason", "app-cannot-start")
				.containsEntry("step", "await-available");
			assertThat((String) event.data().get("message")).contains("Unschedulable").contains("node");
			assertThat(((Number) event.data().get("elapsedMillis")).longValue()).isLessThan(30_000);
		});
	}

	@Test
	void fiftyClientsOnOneAppCostTheWritesOfOneWake(TestNamespace ns) {
		IdledApp app = ns.createIdledApp(IdledAppSpec.named("busy").host(host(ns, "app")));
		ConcurrentLinkedQueue<String> endings = new ConcurrentLinkedQueue<>();

		Flux.range(0, 50)
			.flatMap((i) -> Flux.defer(() -> Flux.fromIterable(server.events(app.host())))
				.subscribeOn(Schedulers.boundedElastic())
				.takeLast(1), 50)
			.doOnNext((last) -> endings.add(last.event()))
			.blockLast(Duration.ofSeconds(120));

		assertThat(endings).hasSize(50).containsOnly("ready");
		assertThat(server.writesIn(ns.name())).containsExactly(
				"PATCH /apis/apps/v1/namespaces/" + ns.name() + "/deployments/busy",
				"PATCH /apis/apps/v1/namespaces/" + ns.name() + "/deployments/busy",
				"PATCH /api/v1/namespaces/" + ns.name() + "/services/busy");
	}

	@Test
	void anApiClientGets503WithRetryAfterAndTheWakeStarts(TestNamespace ns) {
		IdledApp app = ns.createIdledApp(IdledAppSpec.named("api").host(host(ns, "app")));

		server.http()
			.post()
			.uri("/api/things?page=2")
			.header(HttpHeaders.HOST, app.host())
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"name\":\"thing\"}")
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
			.expectHeader()
			.valueEquals(HttpHeaders.RETRY_AFTER, "5")
			.expectHeader()
			.cacheControl(org.springframework.http.CacheControl.noStore());

		app.awaitAvailable(3, Duration.ofSeconds(60));
	}

	@Test
	void theWaitingPageKeepsThePathAndIsNeverCached(TestNamespace ns) {
		IdledApp app = ns.createIdledApp(IdledAppSpec.named("page").host(host(ns, "app")));

		server.http()
			.get()
			.uri("/deep/link?x=1")
			.header(HttpHeaders.HOST, app.host())
			.accept(MediaType.TEXT_HTML)
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.cacheControl(org.springframework.http.CacheControl.noStore())
			.expectBody(String.class)
			.value((page) -> assertThat(page).contains(app.host()).contains("new EventSource("));
	}

	/** A host unique to the test, short enough to be a label value. */
	static String host(TestNamespace ns, String app) {
		return ns.host(app);
	}

}
