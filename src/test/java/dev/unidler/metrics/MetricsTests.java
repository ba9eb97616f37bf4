package dev.unidler.metrics;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.DoubleSupplier;

import dev.unidler.cluster.IdledApp;
import dev.unidler.cluster.IdledAppSpec;
import dev.unidler.cluster.RealCluster;
import dev.unidler.cluster.TestCluster;
import dev.unidler.cluster.TestNamespace;
import dev.unidler.fleet.AppState;
import dev.unidler.fleet.Fleet;
import dev.unidler.restart.AwakeWorkloads;
import dev.unidler.web.UnidlerServer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The metrics of a whole unidler against the real control plane, read as Prometheus reads
 * them from the admin port: names, labels and values after a wake, failed wakes, an idle
 * and a restart; refused requests counted as nothing; the waiting pages gauge; Kubernetes
 * requests without names in their labels; apps by state plugged in as an operator's bean;
 * and nothing of it on the public port.
 */
@RealCluster
class MetricsTests {

	private static final String OPERATOR = "operator-token-0123456789abcdef";

	private static final String OPERATIONS = "unidler_operations_total";

	@TempDir
	static Path files;

	private static UnidlerServer server;

	@BeforeAll
	static void start(TestCluster cluster) throws Exception {
		Path tokens = files.resolve("tokens.yaml");
		Files.writeString(tokens, """
				tokens:
				  - name: operator
				    token: "%s"
				    operations: [restart, idle]
				    apps:
				      - host: "*.example.test"
				""".formatted(OPERATOR));
		server = UnidlerServer.start(cluster, Map.of("unidler.access.tokens-file", tokens.toString(),
				"unidler.restart.recheck", "1s", "unidler.wake.unschedulable-grace", "4s"));
	}

	@AfterAll
	static void stop() {
		server.close();
	}

	@Test
	void aWakeIsReadyWithItsDurationAndEveryPhaseOnce(TestCluster cluster, TestNamespace ns) {
		String host = ns.host("web");
		ns.createIdledApp(IdledAppSpec.named("web").host(host));
		Exposition before = scrape();

		assertThat(last(server.events(host))).isEqualTo("ready");

		Exposition after = scrape();
		assertThat(delta(before, after, OPERATIONS, "kind", "wake", "outcome", "ready")).isEqualTo(1);
		assertThat(delta(before, after, OPERATIONS, "kind", "wake", "outcome", "failure")).isZero();
		assertThat(delta(before, after, "unidler_operation_duration_seconds_count", "kind", "wake", "outcome", "ready"))
			.isEqualTo(1);
		assertThat(after.value("unidler_operation_duration_seconds_sum", "kind", "wake", "outcome", "ready"))
			.isGreaterThan(before.value("unidler_operation_duration_seconds_sum", "kind", "wake", "outcome", "ready"));
		// The histogram's buckets: a wake on this cluster is over in under 10 minutes.
		assertThat(delta(before, after, "unidler_operation_duration_seconds_bucket", "kind", "wake", "outcome", "ready",
				"le", "600.0"))
			.isEqualTo(1);
		for (String phase : List.of("locate", "restore-replicas", "await-available", "mark-awake", "repoint-service",
				"await-routable")) {
			assertThat(delta(before, after, "unidler_wake_phase_duration_seconds_count", "phase", phase)).as(phase)
				.isEqualTo(1);
		}
		assertThat(after.value("unidler_operations_running", "kind", "wake")).isZero();

		// The wake's writes, by verb and resource, and never a name in a label.
		assertThat(delta(before, after, "unidler_kubernetes_requests_total", "verb", "patch", "resource", "deployments",
				"code", "200"))
			.isGreaterThanOrEqualTo(1);
		assertThat(delta(before, after, "unidler_kubernetes_requests_total", "verb", "patch", "resource", "services",
				"code", "200"))
			.isGreaterThanOrEqualTo(1);
		assertThat(after.matching("unidler_kubernetes_requests_total")).isNotEmpty()
			.allSatisfy((sample) -> assertThat(sample.labels().values()).noneMatch(
					(value) -> value.contains(ns.name()) || value.contains("web") || value.contains(".example.")));
	}

	@Test
	void aWakeOfAnAppThatDoesNotExistFailsWithItsReason() {
		Exposition before = scrape();

		assertThat(last(server.events("nothing-here.example.test"))).isEqualTo("failure");

		Exposition after = scrape();
		assertThat(delta(before, after, OPERATIONS, "kind", "wake", "outcome", "failure")).isEqualTo(1);
		assertThat(delta(before, after, "unidler_operation_failures_total", "kind", "wake", "reason", "unknown-app"))
			.isEqualTo(1);
		assertThat(delta(before, after, OPERATIONS, "kind", "wake", "outcome", "ready")).isZero();
	}

	@Test
	void aWaitingPageCountsWhileItsStreamIsOpenAndAWakeThatCannotStartFails(TestNamespace ns) {
		String host = ns.host("stuck");
		ns.createIdledApp(IdledAppSpec.named("stuck").host(host).unschedulable(true));
		Exposition before = scrape();
		List<String> events = new CopyOnWriteArrayList<>();

		Disposable page = stream(host).subscribe((event) -> events.add(event.event()));
		try {
			awaitValue(() -> scrape().value("unidler_waiting_clients"), 1);
			assertThat(scrape().value("unidler_operations_running", "kind", "wake")).isEqualTo(1);
			// Its pods cannot be scheduled: the wake ends once the grace is over.
			awaitValue(() -> events.contains("failure") ? 1 : 0, 1);
		}
		finally {
			page.dispose();
		}
		awaitValue(() -> scrape().value("unidler_waiting_clients"), 0);

		Exposition after = scrape();
		assertThat(
				delta(before, after, "unidler_operation_failures_total", "kind", "wake", "reason", "app-cannot-start"))
			.isEqualTo(1);
		assertThat(delta(before, after, OPERATIONS, "kind", "wake", "outcome", "failure")).isEqualTo(1);
		assertThat(after.value("unidler_operations_running", "kind", "wake")).isZero();
	}

	@Test
	void anIdleAndARestartCountUnderTheirKinds(TestCluster cluster, TestNamespace ns) throws Exception {
		String sleepy = ns.host("sleepy");
		IdledApp app = ns.createIdledApp(IdledAppSpec.named("sleepy").host(sleepy));
		assertThat(last(server.events(sleepy))).isEqualTo("ready");
		app.patchDeployment("{\"metadata\":{\"labels\":{\"" + AwakeWorkloads.OPT_IN + "\":\"idle\"}}}");
		String busy = ns.host("busy");
		AwakeWorkloads.deployment(cluster, ns, "busy", busy, 1, Map.of());
		Exposition before = scrape();

		post("/idle?wait=2m", OPERATOR, sleepy).expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("done");
		post("/restart?wait=2m", OPERATOR, busy).expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("done");

		Exposition after = scrape();
		assertThat(delta(before, after, OPERATIONS, "kind", "idle", "outcome", "ready")).isEqualTo(1);
		assertThat(delta(before, after, OPERATIONS, "kind", "restart", "outcome", "ready")).isEqualTo(1);
		assertThat(
				delta(before, after, "unidler_operation_duration_seconds_count", "kind", "restart", "outcome", "ready"))
			.isEqualTo(1);
		assertThat(delta(before, after, OPERATIONS, "kind", "wake")).isZero();
		assertThat(delta(before, after, "unidler_wake_phase_duration_seconds_count")).isZero();

		// Idling it again changes nothing: an idle, but not an app idled.
		post("/idle?wait=2m", OPERATOR, sleepy).expectStatus().isOk();
		Exposition again = scrape();
		assertThat(delta(after, again, OPERATIONS, "kind", "idle", "outcome", "unchanged")).isEqualTo(1);
		assertThat(delta(after, again, OPERATIONS, "kind", "idle", "outcome", "ready")).isZero();
	}

	@Test
	void refusedRequestsAreNotOperations(TestCluster cluster, TestNamespace ns) throws Exception {
		String host = ns.host("guarded");
		// Opted in to restarts only.
		AwakeWorkloads.deployment(cluster, ns, "guarded", host, 1, Map.of());
		Exposition before = scrape();

		// A wrong token, none, an app not opted in to idling, an app that does not exist.
		post("/restart?wait=1m", "not-a-token-0123456789abcdef", host).expectStatus().isUnauthorized();
		post("/restart?wait=1m", null, host).expectStatus().isUnauthorized();
		post("/idle?wait=1m", OPERATOR, host).expectStatus().isNotFound();
		post("/idle?wait=1m", OPERATOR, ns.host("no-such-app")).expectStatus().isNotFound();

		Exposition after = scrape();
		assertThat(delta(before, after, OPERATIONS)).isZero();
		assertThat(delta(before, after, "unidler_operation_failures_total")).isZero();
		assertThat(after.value("unidler_operations_running")).isZero();
	}

	@Test
	void appsByStateCountWhatTheConsoleShows(TestNamespace ns) {
		ns.createIdledApp(IdledAppSpec.named("counted").host(ns.host("counted")));
		Fleet fleet = server.bean(Fleet.class);

		Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			assertThat(fleet.app("Deployment/" + ns.name() + "/counted"))
				.hasValueSatisfying((app) -> assertThat(app.state()).isEqualTo(AppState.IDLED));
			Map<AppState, Long> counts = fleet.countsByState();
			Exposition exposition = scrape();
			// Every state is a series, at 0 when no app is in it.
			for (AppState state : AppState.values()) {
				assertThat(exposition.matching("unidler_apps", "state", state.id())).as(state.id())
					.singleElement()
					.extracting(Exposition.Sample::value)
					.isEqualTo((double) counts.getOrDefault(state, 0L));
			}
		});
	}

	@Test
	void theAdminPortServesBothFormatsWithoutAToken() {
		server.admin()
			.get()
			.uri("/metrics")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals(HttpHeaders.CONTENT_TYPE, MetricsHandler.TEXT)
			.expectBody(String.class)
			.value((body) -> assertThat(body).contains("# TYPE unidler_operations_total counter"));
		// What Prometheus asks for.
		server.admin()
			.get()
			.uri("/metrics")
			.header(HttpHeaders.ACCEPT,
					"application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
							+ "text/plain;version=0.0.4;q=0.5,*/*;q=0.1")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals(HttpHeaders.CONTENT_TYPE, MetricsHandler.OPENMETRICS)
			.expectBody(String.class)
			.value((body) -> assertThat(body).contains("# TYPE unidler_operations counter").endsWith("# EOF\n"));
	}

	@Test
	void nothingOfItIsServedOnThePublicPortForAnyHost(TestNamespace ns) {
		for (String host : List.of(ns.host("web"), "127.0.0.1", "localhost", "unidler-admin.example.test")) {
			for (String path : List.of("/metrics", "/actuator/prometheus", "/actuator/metrics", "/actuator")) {
				for (MediaType accept : List.of(MediaType.ALL, MediaType.TEXT_PLAIN, MediaType.TEXT_HTML)) {
					server.http()
						.get()
						.uri(path)
						.header(HttpHeaders.HOST, host)
						.accept(accept)
						.exchange()
						.expectBody(String.class)
						.value((body) -> assertThat(body).as("%s %s %s", host, path, accept)
							.doesNotContain("unidler_operations")
							.doesNotContain("# TYPE")
							.doesNotContain("jvm_"));
				}
			}
		}
	}

	@Test
	void theDashboardReadsOnlyMetricsTheUnidlerExposes() {
		// Every series exists before any operation, so a fresh instance shows them all.
		Set<String> exposed = scrape().names();

		List<Dashboard.Query> queries = Dashboard.read().queries();

		assertThat(queries).hasSizeGreaterThanOrEqualTo(10);
		assertThat(queries).allSatisfy((query) -> assertThat(query.metrics()).as(query.panel())
			.isNotEmpty()
			.allSatisfy((metric) -> assertThat(exposed).as("%s: %s", query.panel(), query.expr()).contains(metric)));
		// What the dashboard promises: each of these is on it.
		Set<String> read = new TreeSet<>();
		queries.forEach((query) -> read.addAll(query.metrics()));
		assertThat(read).contains("unidler_operation_duration_seconds_bucket",
				"unidler_wake_phase_duration_seconds_bucket", "unidler_operations_total",
				"unidler_operation_failures_total", "unidler_waiting_clients", "unidler_kubernetes_requests_total",
				"unidler_apps", "unidler_operations_running");
	}

	static Exposition scrape() {
		String body = server.admin()
			.get()
			.uri("/metrics")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		return Exposition.parse(body);
	}

	private static double delta(Exposition before, Exposition after, String name, String... labels) {
		return after.value(name, labels) - before.value(name, labels);
	}

	private static String last(List<ServerSentEvent<Map<String, Object>>> events) {
		assertThat(events).isNotEmpty();
		return events.get(events.size() - 1).event();
	}

	private static reactor.core.publisher.Flux<ServerSentEvent<Map<String, Object>>> stream(String host) {
		return server.http()
			.get()
			.uri("/events")
			.header(HttpHeaders.HOST, host)
			.accept(MediaType.TEXT_EVENT_STREAM)
			.exchange()
			.expectStatus()
			.isOk()
			.returnResult(new ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>>() {
			})
			.getResponseBody()
			.filter((event) -> event.event() != null);
	}

	private static WebTestClient.ResponseSpec post(String uri, String token, String host) {
		return server.admin().post().uri(uri).headers((headers) -> {
			if (token != null) {
				headers.setBearerAuth(token);
			}
		}).contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("host", host)).exchange();
	}

	/** Waits, at most 60 s, for a value that comes in its own time. */
	private static void awaitValue(DoubleSupplier value, double expected) {
		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		while (value.getAsDouble() != expected) {
			assertThat(System.nanoTime()).as("waited 60 s for %s", expected).isLessThan(deadline);
			try {
				Thread.sleep(100);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
	}

}
