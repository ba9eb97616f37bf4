package dev.unidler.web;

import java.time.Duration;
import java.util.List;

import dev.unidler.TestProperties;
import dev.unidler.UnidlerProperties;
import dev.unidler.app.AppKey;
import dev.unidler.operation.Operation;
import dev.unidler.wake.Wakes;
import dev.unidler.wake.WakesForTests;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.codec.ServerSentEvent;

import static org.assertj.core.api.Assertions.assertThat;

class EventStreamsTests {

	private static final AppKey KEY = new AppKey("app1.example.test", "host", "app1.example.test");

	private final UnidlerProperties properties = TestProperties.defaults();

	@Test
	void aQuietStreamGetsAHeartbeatEvery15Seconds() {
		StepVerifier.withVirtualTime(() -> {
			WakesForTests.Stuck stuck = WakesForTests.stuckInAwaitAvailable(this.properties);
			return streams(stuck.wakes()).events(stuck.wakes().wake(KEY), 0).filter((event) -> event.event() == null);
		})
			.expectSubscription()
			.expectNoEvent(Duration.ofSeconds(15))
			.assertNext((heartbeat) -> assertThat(heartbeat.comment()).isNotBlank())
			.thenAwait(Duration.ofSeconds(15))
			.expectNextCount(1)
			.thenCancel()
			.verify(Duration.ofSeconds(10));
	}

	@Test
	void everyEventHasAnIdARetryHintAndANameThatIsNotError() {
		WakesForTests.Stuck stuck = WakesForTests.stuckInAwaitAvailable(this.properties);
		Operation wake = stuck.wakes().wake(KEY);
		StepVerifier.create(streams(stuck.wakes()).events(wake, 0).take(3)).thenConsumeWhile((event) -> {
			assertThat(event.id()).isEqualTo(wake.id() + "-" + sequence(event));
			assertThat(event.retry()).isEqualTo(Duration.ofSeconds(2));
			assertThat(event.event()).isIn("progress", "ready", "failure");
			return true;
		}).expectComplete().verify(Duration.ofSeconds(10));
	}

	@Test
	void subscribersShareEachEncodedEvent() {
		WakesForTests.Stuck stuck = WakesForTests.stuckInAwaitAvailable(this.properties);
		Operation wake = stuck.wakes().wake(KEY);
		EventStreams streams = streams(stuck.wakes());
		List<ServerSentEvent<?>> first = streams.events(wake, 0).take(3).collectList().block(Duration.ofSeconds(10));
		List<ServerSentEvent<?>> second = streams.events(wake, 0).take(3).collectList().block(Duration.ofSeconds(10));
		assertThat(first).hasSize(3);
		for (int i = 0; i < first.size(); i++) {
			assertThat(second.get(i)).isSameAs(first.get(i));
		}
	}

	@Test
	void theStreamEndsAfterTheTerminalEvent() {
		Wakes wakes = WakesForTests.unknownApp(this.properties);
		StepVerifier.create(streams(wakes).events(wakes.wake(KEY), 0).map(ServerSentEvent::event))
			.expectNext("progress", "failure")
			.expectComplete()
			.verify(Duration.ofSeconds(10));
	}

	@Test
	void lastEventIdOfThisWakeResumesAfterIt() {
		WakesForTests.Stuck stuck = WakesForTests.stuckInAwaitAvailable(this.properties);
		Operation wake = stuck.wakes().wake(KEY);
		assertThat(EventStreams.seenSequence(wake, wake.id() + "-4")).isEqualTo(4);
		assertThat(EventStreams.seenSequence(wake, "otherwake-4")).isZero();
		assertThat(EventStreams.seenSequence(wake, wake.id() + "-x")).isZero();
		assertThat(EventStreams.seenSequence(wake, null)).isZero();
	}

	@Test
	void aSequenceThisWakeHasNotReachedReplaysFromTheStart() {
		WakesForTests.Stuck stuck = WakesForTests.stuckInAwaitAvailable(this.properties);
		Operation wake = stuck.wakes().wake(KEY);
		wake.events().take(4).blockLast(Duration.ofSeconds(10));
		long reached = wake.lastSequence();

		assertThat(EventStreams.seenSequence(wake, wake.id() + "-" + reached)).isEqualTo(reached);
		assertThat(EventStreams.seenSequence(wake, wake.id() + "-999")).isZero();
		assertThat(EventStreams.seenSequence(wake, wake.id() + "-" + Long.MAX_VALUE)).isZero();
		assertThat(EventStreams.seenSequence(wake, wake.id() + "--3")).isZero();
		StepVerifier
			.create(streams(stuck.wakes()).events(wake, EventStreams.seenSequence(wake, wake.id() + "-999"))
				.take(1)
				.map((event) -> sequence(event)))
			.expectNext(1L)
			.verifyComplete();
	}

	private EventStreams streams(Wakes wakes) {
		return new EventStreams(this.properties, wakes, JsonMapper.shared());
	}

	/** The data is the event's JSON, encoded once for every subscriber. */
	private static long sequence(ServerSentEvent<?> event) {
		return JsonMapper.shared().readValue((String) event.data(), EventData.class).sequence();
	}

}
