package dev.unidler.notify;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;

import dev.unidler.notify.Payloads.Happened;
import dev.unidler.notify.WebhookTarget.EventType;
import dev.unidler.notify.WebhookTarget.Format;
import dev.unidler.notify.WebhookTarget.Outcome;
import dev.unidler.operation.OperationKind;
import dev.unidler.operation.OperationSubject;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.HttpStatus;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The queues and the sender without a cluster, against a stand-in receiver on loopback:
 * shutdown finishes what is pending within its grace and logs what it cannot; what comes
 * after is logged too; answers that retrying cannot change are not retried.
 */
@ExtendWith(OutputCaptureExtension.class)
class WebhookQueuesTests {

	private static final String SECRET = "webhook-signing-secret-for-tests";

	private final StandInReceiver receiver = StandInReceiver.start();

	private final MeterRegistry meters = new SimpleMeterRegistry();

	private final Payloads payloads = new Payloads(JsonMapper.builder().build());

	@AfterEach
	void stop() {
		this.receiver.close();
	}

	@Test
	void shutdownFinishesThePendingDeliveriesWithinItsGrace() {
		WebhookQueues queues = queues(properties("5s"));
		WebhookTarget slow = target("slow", "/slow/slow");
		for (int i = 0; i < 3; i++) {
			assertThat(queues.offer(delivery(slow, "op-" + i))).isTrue();
		}

		queues.close(Duration.ofSeconds(5)).block(Duration.ofSeconds(10));

		// One at a time, 300 ms each: all three arrived before the shutdown went on.
		assertThat(this.receiver.requests("slow")).hasSize(3);
		assertThat(count("slow", "delivered")).isEqualTo(3);
		assertThat(count("slow", "undelivered")).isZero();
		assertThat(queues.pending("slow")).isZero();
	}

	@Test
	void whatShutdownCannotFinishIsLoggedOneLineEachAndSoIsWhatComesAfter(CapturedOutput output) {
		WebhookQueues queues = queues(properties("300ms"));
		WebhookTarget dead = target("dead", "/hang/dead");
		Delivery first = delivery(dead, "op-1");
		Delivery second = delivery(dead, "op-2");
		queues.offer(first);
		queues.offer(second);

		queues.close(Duration.ofMillis(300)).block(Duration.ofSeconds(5));
		Delivery late = delivery(dead, "op-3");
		assertThat(queues.offer(late)).isFalse();

		assertThat(count("dead", "undelivered")).isEqualTo(3);
		assertThat(output.getAll()).contains(
				"Undelivered webhook " + first.id() + " to dead (operation.started): still pending at shutdown",
				"Undelivered webhook " + second.id() + " to dead (operation.started): still pending at shutdown",
				"Undelivered webhook " + late.id() + " to dead (operation.started): the unidler is shutting down");
		assertThat(queues.pending("dead")).isZero();
	}

	@Test
	void aRefusalIsNotRetriedAndCountedAsFailed(CapturedOutput output) {
		WebhookQueues queues = queues(properties("5s"));
		WebhookTarget gone = target("gone", "/gone/gone");

		queues.offer(delivery(gone, "op-1"));
		queues.close(Duration.ofSeconds(5)).block(Duration.ofSeconds(10));

		assertThat(this.receiver.requests("gone")).hasSize(1);
		assertThat(count("gone", "failed")).isEqualTo(1);
		assertThat(output.getAll()).contains("to gone (operation.started) not delivered: answered 410")
			.doesNotContain(this.receiver.url("/gone/gone"));
	}

	@Test
	void onlyWhatALaterTryMightChangeIsRetried() {
		assertThat(List.of(500, 502, 503, 504, 408, 429)).allSatisfy((status) -> assertThat(
				WebhookSender.worthRetrying(new WebhookSender.Refused("t", HttpStatus.valueOf(status))))
			.as("%s", status)
			.isTrue());
		assertThat(List.of(400, 401, 403, 404, 410, 413, 301, 302, 307, 308)).allSatisfy((status) -> assertThat(
				WebhookSender.worthRetrying(new WebhookSender.Refused("t", HttpStatus.valueOf(status))))
			.as("%s", status)
			.isFalse());
		assertThat(WebhookSender.worthRetrying(new TimeoutException())).isTrue();
		assertThat(WebhookSender.worthRetrying(new IllegalStateException())).isFalse();
	}

	@Test
	void theSignatureIsAnHmacOfTheTimestampAndTheBody() {
		byte[] body = "{\"version\":1}".getBytes(StandardCharsets.UTF_8);

		String header = WebhookSender.signature(SECRET.getBytes(StandardCharsets.UTF_8), 1_700_000_000L, body);

		// Worked example of the README, computed independently with openssl:
		// printf '1700000000.{"version":1}' | openssl dgst -sha256 -hmac "$SECRET"
		assertThat(header).isEqualTo("t=1700000000,v1=" + README_EXAMPLE);
		StandInReceiver.Received fresh = new StandInReceiver.Received("x", Instant.now(), "id",
				WebhookSender.signature(SECRET.getBytes(StandardCharsets.UTF_8), Instant.now().getEpochSecond(), body),
				body);
		assertThat(fresh.verifies(SECRET)).isTrue();
		// Old: a receiver refuses it even though the HMAC is right.
		assertThat(new StandInReceiver.Received("x", Instant.now(), "id", header, body).verifies(SECRET)).isFalse();
	}

	private static final String README_EXAMPLE = "73965df29824991d25724f0da439cf32c519f8d5b4bb0a358360392a2468244d";

	private WebhookQueues queues(WebhookProperties properties) {
		return new WebhookQueues(new WebhookSender(properties, Clock.systemUTC()), this.meters, properties);
	}

	private static WebhookProperties properties(String grace) {
		return new Binder(new MapConfigurationPropertySource(Map.of("unidler.webhooks.first-backoff", "50ms",
				"unidler.webhooks.shutdown-grace", grace, "unidler.webhooks.timeout", "10s")))
			.bindOrCreate("unidler.webhooks", Bindable.of(WebhookProperties.class));
	}

	private WebhookTarget target(String name, String path) {
		return new WebhookTarget(name, URI.create(this.receiver.url(path)), SECRET.getBytes(StandardCharsets.UTF_8),
				Format.JSON, Set.of(EventType.values()), Set.of(OperationKind.values()), Set.of(Outcome.values()));
	}

	private Delivery delivery(WebhookTarget target, String operation) {
		String id = operation + "-" + target.name();
		Happened started = new Happened(EventType.STARTED,
				new OperationSubject(operation, OperationKind.WAKE, "app.example.test", null, "request", null), null,
				null, Instant.now());
		return new Delivery(id, "operation.started", target, this.payloads.body(id, started, Format.JSON));
	}

	private double count(String target, String outcome) {
		Counter counter = this.meters.find(WebhookQueues.DELIVERIES)
			.tag("target", target)
			.tag("outcome", outcome)
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

}
