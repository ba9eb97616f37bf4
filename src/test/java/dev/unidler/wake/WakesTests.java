package dev.unidler.wake;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import dev.unidler.TestProperties;
import dev.unidler.app.AppKey;
import dev.unidler.operation.FailureReason;
import dev.unidler.operation.Operation;
import dev.unidler.operation.OperationEvent;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

class WakesTests {

	private static final AppKey KEY = new AppKey("app1.example.test", "host", "app1.example.test");

	@Test
	void everyoneAskingForTheSameAppSharesOneWake() {
		FakeCluster cluster = new FakeCluster().manualAvailability()
			.idledApp("ns", "app1", "app1.example.test", Map.of("mojanalytics.xyz/replicas-when-unidled", "2"));
		Wakes wakes = Wiring.wakes(cluster, TestProperties.defaults());
		List<Operation> asked = IntStream.range(0, 50).mapToObj((i) -> wakes.wake(KEY)).toList();
		assertThat(asked).allMatch((wake) -> wake == asked.get(0));

		cluster.setAvailable("ns", "app1", 2);
		StepVerifier.create(Flux.merge(asked.stream().map((wake) -> wake.events().last()).toList()))
			.expectNextCount(50)
			.verifyComplete();
		assertThat(cluster.writes()).hasSize(3);
	}

	@Test
	void aLateSubscriberGetsTheStepsSoFar() {
		FakeCluster cluster = new FakeCluster().manualAvailability()
			.idledApp("ns", "app1", "app1.example.test", Map.of());
		Wakes wakes = Wiring.wakes(cluster, TestProperties.defaults());
		Operation wake = wakes.wake(KEY);
		StepVerifier.create(wake.events().take(4).map(OperationEvent::step))
			.expectNext("locate", "locate", "restore-replicas", "restore-replicas")
			.verifyComplete();
		StepVerifier.create(wake.eventsAfter(2).take(1).map(OperationEvent::sequence)).expectNext(3L).verifyComplete();
		cluster.setAvailable("ns", "app1", 1);
		StepVerifier.create(wake.events().last()).expectNextMatches(OperationEvent::isTerminal).verifyComplete();
	}

	@Test
	void anEndedWakeLeavesTheRegistrySoTheNextRequestLooksAgain() {
		FakeCluster cluster = new FakeCluster().idledApp("ns", "app1", "app1.example.test", Map.of());
		Wakes wakes = Wiring.wakes(cluster, TestProperties.defaults());
		Operation first = wakes.wake(KEY);
		StepVerifier.create(first.events().last())
			.expectNextMatches((event) -> event.kind() == OperationEvent.Kind.READY)
			.expectComplete()
			.verify(Duration.ofSeconds(5));
		assertThat(wakes.runningCount()).isZero();
		assertThat(wakes.wake(KEY)).isNotSameAs(first);
	}

	@Test
	void aHostWithNoAppIsLookedUpAgainByTheNextRequest() {
		FakeCluster cluster = new FakeCluster();
		Wakes wakes = Wiring.wakes(cluster, TestProperties.defaults());
		Operation first = wakes.wake(KEY);
		StepVerifier.create(first.events().last())
			.expectNextMatches((event) -> event.failure() == FailureReason.UNKNOWN_APP)
			.expectComplete()
			.verify(Duration.ofSeconds(5));

		// Lookups read the cluster cache, so nothing is remembered: an app created a
		// moment later is found by the next request.
		cluster.idledApp("ns", "app1", "app1.example.test", Map.of());
		Operation second = wakes.wake(KEY);
		assertThat(second).isNotSameAs(first);
		StepVerifier.create(second.events().last())
			.expectNextMatches((event) -> event.kind() == OperationEvent.Kind.READY)
			.expectComplete()
			.verify(Duration.ofSeconds(5));
	}

	@Test
	void otherFailuresAreNotRemembered() {
		FakeCluster cluster = new FakeCluster().idledApp("a", "app1", "app1.example.test", Map.of())
			.idledApp("b", "app1", "app1.example.test", Map.of());
		Wakes wakes = Wiring.wakes(cluster, TestProperties.defaults());
		Operation first = wakes.wake(KEY);
		StepVerifier.create(first.events().last())
			.expectNextMatches((event) -> event.failure() == FailureReason.AMBIGUOUS_APP)
			.expectComplete()
			.verify(Duration.ofSeconds(5));
		assertThat(wakes.wake(KEY)).isNotSameAs(first);
	}

	@Test
	void shutdownEndsStreamsAndWaitsForWakesInFlight() throws InterruptedException {
		FakeCluster cluster = new FakeCluster().manualAvailability()
			.idledApp("ns", "app1", "app1.example.test", Map.of());
		Wakes wakes = Wiring.wakes(cluster, TestProperties.defaults());
		wakes.start();
		Operation wake = wakes.wake(KEY);
		java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
		wakes.stop(stopped::countDown);
		StepVerifier.create(wakes.stopping()).expectComplete().verify(Duration.ofSeconds(1));
		assertThat(stopped.await(200, java.util.concurrent.TimeUnit.MILLISECONDS)).isFalse();
		cluster.setAvailable("ns", "app1", 1);
		assertThat(stopped.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
		assertThat(wake.events().blockLast(Duration.ofSeconds(1)).kind()).isEqualTo(OperationEvent.Kind.READY);
		assertThat(wakes.isRunning()).isFalse();
	}

}
