package dev.unidler.notify;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.unidler.cluster.IdledApp;
import dev.unidler.cluster.IdledAppSpec;
import dev.unidler.cluster.RealCluster;
import dev.unidler.cluster.TestCluster;
import dev.unidler.cluster.TestNamespace;
import dev.unidler.notify.StandInReceiver.Received;
import dev.unidler.web.UnidlerServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An operation cut by a restart of the unidler, against the real control plane: the
 * instance that stops tells the receivers it abandoned the wake (delivered during its
 * shutdown, not lost), and the next request, on a new instance, finishes it from what the
 * cluster records, with its own start and end.
 */
@RealCluster
class RestartedUnidlerTests {

	private static final String SECRET = "webhook-signing-secret-for-tests";

	@TempDir
	static Path files;

	private static StandInReceiver receiver;

	@BeforeAll
	static void start() {
		receiver = StandInReceiver.start();
	}

	@AfterAll
	static void stop() {
		receiver.close();
	}

	@Test
	void aWakeCutByARestartOfTheUnidlerIsReportedAbandonedThenFinishedByTheNextRequest(TestCluster cluster,
			TestNamespace ns) throws Exception {
		Path targets = files.resolve("restart.yaml");
		Files.writeString(targets, """
				targets:
				  - name: restarts
				    url: %s
				    secret: %s
				""".formatted(receiver.url("/ok/restarts"), SECRET));
		IdledApp app = ns.createIdledApp(IdledAppSpec.named("cut").host(ns.host("cut")).unschedulable(true));
		Map<String, String> settings = Map.of("unidler.webhooks.targets-file", targets.toString(),
				"unidler.wake.unschedulable-grace", "10m");
		// The first instance gets as far as waiting for pods that cannot start, then
		// stops
		// without waiting for its wake.
		try (UnidlerServer first = UnidlerServer.start(cluster, settings)) {
			first.http()
				.get()
				.uri("/")
				.header("Host", app.host())
				.accept(MediaType.TEXT_HTML)
				.exchange()
				.expectStatus()
				.isOk();
			long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
			while (!Integer.valueOf(3).equals(app.deployment().getSpec().getReplicas())
					&& System.nanoTime() < deadline) {
				Thread.sleep(100);
			}
			assertThat(app.deployment().getSpec().getReplicas()).isEqualTo(3);
		}
		assertThat(app.service().getSpec().getType()).isEqualTo("ExternalName");
		List<JsonNode> cut = receiver.payloads("restarts");
		assertThat(cut)
			.extracting((payload) -> payload.path("type").asString() + " " + payload.path("outcome").asString(""))
			.containsExactly("operation.started ", "operation.ended abandoned");
		assertThat(cut.get(1).path("failureReason").isNull()).isTrue();

		// The pods may run now; a new instance takes the next request and finishes it.
		app.patchDeployment("""
				{"spec":{"template":{"spec":{"nodeSelector":null}}}}
				""");
		try (UnidlerServer second = UnidlerServer.start(cluster, settings)) {
			assertThat(second.events(app.host())).last().extracting(ServerSentEvent::event).isEqualTo("ready");
			List<Received> all = receiver.await("restarts", Duration.ofSeconds(30), (received) -> received.size() >= 4);
			assertThat(all)
				.extracting((r) -> r.json().path("type").asString() + " " + r.json().path("outcome").asString(""))
				.containsExactly("operation.started ", "operation.ended abandoned", "operation.started ",
						"operation.ended succeeded");
			assertThat(all).allSatisfy((request) -> assertThat(request.verifies(SECRET)).isTrue());
		}
		assertThat(app.service().getSpec().getType()).isEqualTo("ClusterIP");
	}

}
