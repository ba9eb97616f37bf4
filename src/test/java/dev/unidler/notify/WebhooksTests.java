package dev.unidler.notify;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import dev.unidler.cluster.IdledApp;
import dev.unidler.cluster.IdledAppSpec;
import dev.unidler.cluster.RealCluster;
import dev.unidler.cluster.TestCluster;
import dev.unidler.cluster.TestNamespace;
import dev.unidler.notify.StandInReceiver.Received;
import dev.unidler.web.UnidlerServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import org.springframework.http.codec.ServerSentEvent;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Webhooks of real operations against the real control plane, received by a stand-in on
 * loopback that checks signatures and deduplicates by delivery id: the payload and its
 * signature, retries that keep their idempotency key, the filters, the Slack format,
 * redirects not followed. {@link DeadReceiverTests} has a receiver that never answers.
 */
@RealCluster
class WebhooksTests {

	private static final String SECRET = "webhook-signing-secret-for-tests";

	@TempDir
	static Path files;

	private static StandInReceiver receiver;

	private static UnidlerServer server;

	@BeforeAll
	static void start(TestCluster cluster) throws Exception {
		receiver = StandInReceiver.start();
		Path targets = files.resolve("targets.yaml");
		Files.writeString(targets,
				"""
						targets:
						  - name: ci
						    url: %s
						    secret: %s
						    events: [started, step, ended]
						  - name: flaky
						    url: %s
						    secret: %s
						    events: [ended]
						  - name: idles-only
						    url: %s
						    secret: %s
						    kinds: [idle]
						  - name: failures
						    url: %s
						    secret: %s
						    events: [ended]
						    outcomes: [failed]
						  - name: chat
						    url: %s
						    format: slack
						  - name: moved
						    url: %s
						    secret: %s
						    events: [ended]
						""".formatted(receiver.url("/ok/ci"), SECRET, receiver.url("/flaky/flaky"), SECRET,
						receiver.url("/ok/idles-only"), SECRET, receiver.url("/ok/failures"), SECRET,
						receiver.url("/ok/chat"), receiver.url("/redirect/moved"), SECRET));
		server = UnidlerServer.start(cluster, Map.of("unidler.webhooks.targets-file", targets.toString(),
				"unidler.webhooks.first-backoff", "100ms", "unidler.webhooks.retries", "3"));
	}

	@AfterAll
	static void stop() {
		server.close();
		receiver.close();
	}

	@Test
	void aWakeIsDeliveredSignedWithTheDocumentedPayloadAndRetriedWithOneIdempotencyKey(TestNamespace ns) {
		IdledApp app = ns.createIdledApp(IdledAppSpec.named("wiki").host(ns.host("wiki")));

		List<ServerSentEvent<Map<String, Object>>> events = server.events(app.host());
		assertThat(events).last().extracting(ServerSentEvent::event).isEqualTo("ready");

		// Every event of the wake, in order, each signed and taken once.
		List<Received> requests = receiver.await("ci", Duration.ofSeconds(30),
				(received) -> received.stream()
					.anyMatch((r) -> r.json().path("type").asString().equals("operation.ended")
							&& app.host().equals(r.json().path("operation").path("host").asString())));
		List<JsonNode> mine = receiver.payloads("ci")
			.stream()
			.filter((payload) -> app.host().equals(payload.path("operation").path("host").asString()))
			.toList();
		assertThat(requests).allSatisfy((request) -> assertThat(request.verifies(SECRET)).isTrue());
		assertThat(requests).noneSatisfy((request) -> assertThat(request.verifies("another-secret-entirely")).isTrue());
		assertThat(mine).extracting((payload) -> payload.path("type").asString())
			.startsWith("operation.started")
			.endsWith("operation.ended")
			.contains("operation.step")
			.hasSize(events.size() + 1);
		JsonNode started = mine.get(0);
		assertThat(started.path("version").asInt()).isEqualTo(1);
		assertThat(started.path("operation").path("kind").asString()).isEqualTo("wake");
		assertThat(started.path("operation").path("requestedBy").asString()).isEqualTo("request");
		JsonNode ended = mine.get(mine.size() - 1);
		String operation = ended.path("operation").path("id").asString();
		assertThat(operation).isNotBlank().isEqualTo(started.path("operation").path("id").asString());
		assertThat(ended.path("operation").path("workload").path("namespace").asString()).isEqualTo(ns.name());
		assertThat(ended.path("operation").path("workload").path("name").asString()).isEqualTo(app.name());
		assertThat(ended.path("operation").path("workload").path("kind").asString()).isEqualTo("Deployment");
		assertThat(ended.path("outcome").asString()).isEqualTo("succeeded");
		assertThat(ended.path("failureReason").isNull()).isTrue();
		assertThat(ended.path("durationMillis").asLong()).isPositive();
		assertThat(ended.path("timestamp").asString()).isNotBlank();
		assertThat(mine).extracting((payload) -> payload.path("id").asString()).doesNotHaveDuplicates();

		// The flaky receiver answered 503 twice: three tries of one delivery, one id, one
		// body, each try signed; it took the event once.
		List<Received> flaky = receiver
			.await("flaky", Duration.ofSeconds(30),
					(received) -> received.stream()
						.filter((r) -> operation.equals(r.json().path("operation").path("id").asString()))
						.count() >= 3)
			.stream()
			.filter((r) -> operation.equals(r.json().path("operation").path("id").asString()))
			.toList();
		assertThat(flaky).hasSize(3);
		assertThat(flaky).extracting(Received::delivery).containsOnly(flaky.get(0).delivery());
		assertThat(flaky).extracting((r) -> new String(r.body())).containsOnly(new String(flaky.get(0).body()));
		assertThat(flaky).allSatisfy((request) -> assertThat(request.verifies(SECRET)).isTrue());
		assertThat(flaky.get(0).json().path("id").asString()).isEqualTo(flaky.get(0).delivery());
		assertThat(receiver.payloads("flaky")
			.stream()
			.filter((payload) -> operation.equals(payload.path("operation").path("id").asString()))).hasSize(1);
		awaitCount("flaky", "delivered", 1);
	}

	@Test
	void targetsGetOnlyTheKindsEventsAndOutcomesTheyAskFor(TestNamespace ns) {
		IdledApp app = ns.createIdledApp(IdledAppSpec.named("reports").host(ns.host("reports")));
		String nowhere = ns.host("nothing-here");

		assertThat(server.events(app.host())).last().extracting(ServerSentEvent::event).isEqualTo("ready");
		assertThat(server.events(nowhere)).last().extracting(ServerSentEvent::event).isEqualTo("failure");

		// The failures target hears the failed wake only, with its reason.
		List<Received> failures = receiver.await("failures", Duration.ofSeconds(30), (received) -> received.stream()
			.anyMatch((r) -> nowhere.equals(r.json().path("operation").path("host").asString())));
		JsonNode failed = failures.stream()
			.map(Received::json)
			.filter((payload) -> nowhere.equals(payload.path("operation").path("host").asString()))
			.findFirst()
			.orElseThrow();
		assertThat(failed.path("type").asString()).isEqualTo("operation.ended");
		assertThat(failed.path("outcome").asString()).isEqualTo("failed");
		assertThat(failed.path("failureReason").asString()).isEqualTo("unknown-app");
		assertThat(failed.path("operation").path("workload").isNull()).isTrue();
		// The ci target has had both ends by now; the others had their chance too.
		receiver.await("ci", Duration.ofSeconds(30),
				(received) -> received.stream()
					.anyMatch((r) -> nowhere.equals(r.json().path("operation").path("host").asString())
							&& r.json().path("type").asString().equals("operation.ended")));
		assertThat(receiver.payloads("failures")).allSatisfy((payload) -> {
			assertThat(payload.path("type").asString()).isEqualTo("operation.ended");
			assertThat(payload.path("outcome").asString()).isEqualTo("failed");
		});
		assertThat(receiver.payloads("flaky")).extracting((payload) -> payload.path("type").asString())
			.containsOnly("operation.ended");
		assertThat(receiver.requests("idles-only")).isEmpty();
	}

	@Test
	void theSlackFormatIsAnIncomingWebhookMessage(TestNamespace ns) {
		IdledApp app = ns.createIdledApp(IdledAppSpec.named("chat").host(ns.host("chat")));

		assertThat(server.events(app.host())).last().extracting(ServerSentEvent::event).isEqualTo("ready");

		List<Received> posts = receiver
			.await("chat", Duration.ofSeconds(30),
					(received) -> received.stream()
						.filter((r) -> r.json().path("text").asString().contains(app.host()))
						.count() >= 2)
			.stream()
			.filter((r) -> r.json().path("text").asString().contains(app.host()))
			.toList();
		assertThat(posts).hasSize(2);
		assertThat(posts).allSatisfy((post) -> assertThat(post.json().propertyNames()).containsExactly("text"));
		assertThat(posts.get(0).json().path("text").asString())
			.startsWith(":hourglass_flowing_sand: Started a wake of `" + app.host() + "`");
		assertThat(posts.get(1).json().path("text").asString())
			.startsWith(":white_check_mark: Woken `" + app.host() + "` in ")
			.contains("asked by request");
	}

	@Test
	void aRedirectIsNotFollowedNorRetried(TestNamespace ns) {
		IdledApp app = ns.createIdledApp(IdledAppSpec.named("moved").host(ns.host("moved")));
		double before = count("moved", "failed");

		assertThat(server.events(app.host())).last().extracting(ServerSentEvent::event).isEqualTo("ready");

		awaitCount("moved", "failed", before + 1);
		assertThat(receiver.requests("moved")
			.stream()
			.filter((r) -> app.host().equals(r.json().path("operation").path("host").asString()))).hasSize(1);
	}

	@Test
	void twoRequestsAtOnceRunOneOperationWhoseStartAndEndAreDeliveredOnce(TestNamespace ns) throws Exception {
		// Its pods wait for a node until the test lets them run, so the second request
		// surely comes while the first one's wake runs.
		IdledApp app = ns.createIdledApp(IdledAppSpec.named("twice").host(ns.host("twice")).unschedulable(true));

		// Threads of its own: the common pool may have a single one on a small machine,
		// which would queue the second request behind the first.
		ExecutorService callers = Executors.newFixedThreadPool(2);
		CompletableFuture<List<ServerSentEvent<Map<String, Object>>>> one = CompletableFuture
			.supplyAsync(() -> server.events(app.host()), callers);
		receiver.await("ci", Duration.ofSeconds(30), (received) -> received.stream()
			.anyMatch((r) -> app.host().equals(r.json().path("operation").path("host").asString())));
		CompletableFuture<List<ServerSentEvent<Map<String, Object>>>> other = CompletableFuture
			.supplyAsync(() -> server.events(app.host()), callers);
		Thread.sleep(500);
		app.patchDeployment("""
				{"spec":{"template":{"spec":{"nodeSelector":null}}}}
				""");
		assertThat(one.get(120, TimeUnit.SECONDS)).last().extracting(ServerSentEvent::event).isEqualTo("ready");
		assertThat(other.get(120, TimeUnit.SECONDS)).last().extracting(ServerSentEvent::event).isEqualTo("ready");
		callers.shutdown();

		// Deliveries to a target go in order: once the end is there, so is all before it.
		receiver.await("ci", Duration.ofSeconds(30),
				(received) -> received.stream()
					.anyMatch((r) -> app.host().equals(r.json().path("operation").path("host").asString())
							&& r.json().path("type").asString().equals("operation.ended")));
		List<JsonNode> mine = receiver.payloads("ci")
			.stream()
			.filter((payload) -> app.host().equals(payload.path("operation").path("host").asString()))
			.toList();
		assertThat(mine).filteredOn((payload) -> payload.path("type").asString().equals("operation.started"))
			.hasSize(1);
		assertThat(mine).filteredOn((payload) -> payload.path("type").asString().equals("operation.ended")).hasSize(1);
		assertThat(mine).extracting((payload) -> payload.path("operation").path("id").asString())
			.containsOnly(mine.get(0).path("operation").path("id").asString());
	}

	private static double count(String target, String outcome) {
		return counter(server.bean(MeterRegistry.class), target, outcome);
	}

	static double counter(MeterRegistry meters, String target, String outcome) {
		Counter counter = meters.find(WebhookQueues.DELIVERIES).tag("target", target).tag("outcome", outcome).counter();
		return (counter != null) ? counter.count() : 0;
	}

	private static void awaitCount(String target, String outcome, double atLeast) {
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (count(target, outcome) < atLeast && System.nanoTime() < deadline) {
			try {
				Thread.sleep(50);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
		assertThat(count(target, outcome)).as("%s deliveries to %s", outcome, target).isGreaterThanOrEqualTo(atLeast);
	}

}
