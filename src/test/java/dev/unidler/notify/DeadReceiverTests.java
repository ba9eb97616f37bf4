package dev.unidler.notify;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.unidler.cluster.IdledApp;
import dev.unidler.cluster.IdledAppSpec;
import dev.unidler.cluster.RealCluster;
import dev.unidler.cluster.TestCluster;
import dev.unidler.cluster.TestNamespace;
import dev.unidler.web.UnidlerServer;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.codec.ServerSentEvent;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A receiver that takes the connection and never answers, against the real control plane:
 * the wake runs to its end regardless, the target's queue never holds more than its
 * capacity, what does not fit is dropped and counted, and what is still pending at
 * shutdown is logged, one line per delivery.
 */
@RealCluster
@ExtendWith(OutputCaptureExtension.class)
class DeadReceiverTests {

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
	void aReceiverThatNeverAnswersNeitherHoldsAWakeUpNorGrowsItsQueue(TestCluster cluster, TestNamespace ns,
			CapturedOutput output) throws Exception {
		Path targets = files.resolve("dead.yaml");
		Files.writeString(targets, """
				targets:
				  - name: dead
				    url: %s
				    secret: %s
				    events: [started, step, ended]
				""".formatted(receiver.url("/hang/dead"), SECRET));
		IdledApp app = ns.createIdledApp(IdledAppSpec.named("dead").host(ns.host("dead")));
		MeterRegistry meters;
		List<ServerSentEvent<Map<String, Object>>> events;
		try (UnidlerServer deaf = UnidlerServer.start(cluster,
				Map.of("unidler.webhooks.targets-file", targets.toString(), "unidler.webhooks.timeout", "60s",
						"unidler.webhooks.queue-capacity", "2", "unidler.webhooks.shutdown-grace", "300ms"))) {
			meters = deaf.bean(MeterRegistry.class);

			events = deaf.events(app.host());

			// The wake ran to its end while the receiver still held the first delivery
			// unanswered: nothing the operation did waited on it.
			assertThat(events).last().extracting(ServerSentEvent::event).isEqualTo("ready");
			assertThat(receiver.requests("dead")).hasSize(1);
			// Started, every event, minus the two it may hold: dropped and counted.
			int deliveries = events.size() + 1;
			assertThat(WebhooksTests.counter(meters, "dead", "dropped")).isEqualTo(deliveries - 2);
			assertThat(meters.get(WebhookQueues.PENDING).tag("target", "dead").gauge().value()).isEqualTo(2);
			assertThat(output.getAll()).contains("Dropped webhook ");
		}
		// At shutdown the two it held are named, one line each.
		assertThat(output.getAll()
			.lines()
			.filter((line) -> line.contains("Undelivered webhook ") && line.contains(" to dead (")
					&& line.contains("still pending at shutdown")))
			.hasSize(2);
		assertThat(app.deployment().getSpec().getReplicas()).isEqualTo(3);
	}

}
