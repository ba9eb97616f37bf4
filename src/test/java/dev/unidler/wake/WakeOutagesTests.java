package dev.unidler.wake;

import java.time.Duration;
import java.util.Map;

import dev.unidler.TestProperties;
import dev.unidler.UnidlerProperties;
import dev.unidler.app.AppKey;
import dev.unidler.app.ServiceSpec;
import dev.unidler.operation.FailureReason;
import dev.unidler.operation.OperationEvent;
import dev.unidler.operation.OperationEvent.Kind;
import dev.unidler.operation.OperationEvent.StepState;
import dev.unidler.operation.Outages;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A wake rides out a Kubernetes API outage up to its deadline: calls that got no answer
 * (or 429, 5xx) are tried again with capped exponential backoff while the step stays
 * running and says it waits for the API. Virtual time: the waits cost nothing.
 */
class WakeOutagesTests {

	private static final AppKey KEY = new AppKey("app1.example.test", "host", "app1.example.test");

	private final UnidlerProperties properties = TestProperties.defaults();

	private final FakeCluster cluster = new FakeCluster().manualAvailability()
		.idledApp("ns", "app1", "app1.example.test", Map.of("mojanalytics.xyz/replicas-when-unidled", "2"));

	@Test
	void anOutageWhileWaitingForTheAppIsRiddenOutAndTheWakeEndsReady() {
		StepVerifier.withVirtualTime(() -> Wiring.pipeline(this.cluster, this.properties).run(KEY))
			.expectSubscription()
			.thenConsumeWhile((event) -> !"await-available".equals(event.step()) || event.replicas() == null)
			.expectNextMatches((starting) -> "0 of 2 ready".equals(starting.message()))
			// The app is starting; now the API server goes away for a minute.
			.then(this.cluster::apiDown)
			.thenAwait(Duration.ofSeconds(6))
			.assertNext((waiting) -> {
				assertThat(waiting.kind()).isEqualTo(Kind.PROGRESS);
				assertThat(waiting.step()).isEqualTo("await-available");
				assertThat(waiting.state()).isEqualTo(StepState.RUNNING);
				assertThat(waiting.message()).isEqualTo("Waiting for the Kubernetes API…");
			})
			// Said once per outage, not once per try.
			.expectNoEvent(Duration.ofSeconds(54))
			.then(() -> {
				this.cluster.setAvailableWithoutEvent("ns", "app1", 2);
				this.cluster.apiUp();
			})
			// Tries are at most 5 s apart, so the wake notices within that.
			.thenAwait(Duration.ofSeconds(5))
			.expectNextMatches((event) -> "await-available".equals(event.step()) && event.state() == StepState.RUNNING
					&& "2 of 2 ready".equals(event.message()))
			.thenConsumeWhile((event) -> event.kind() == Kind.PROGRESS)
			.assertNext((ready) -> assertThat(ready.kind()).isEqualTo(Kind.READY))
			.expectComplete()
			.verify(Duration.ofSeconds(10));
		assertThat(this.cluster.writes()).containsExactly("scale ns/app1 2", "strip ns/app1",
				"service ns/app1 ServiceSpec[type=ClusterIP, selector={app=app1}, ports=[Port[name=null, port=80, targetPort=3000, protocol=TCP, appProtocol=null]]"
						+ ", routing=Routing[headless=false, sessionAffinity=null, sessionAffinityTimeoutSeconds=null, publishNotReadyAddresses=null, internalTrafficPolicy=null, trafficDistribution=null, ipFamilyPolicy=null, ipFamilies=[]]]");
		// 60 s of outage with pauses doubling from 250 ms to 5 s (±20 %): never a spin.
		assertThat(this.cluster.failedCalls()).isBetween(10, 25);
	}

	@Test
	void aWriteThatGotNoAnswerIsTriedAgainAndTheStepStaysRunning() {
		FakeCluster cluster = new FakeCluster().idledApp("ns", "app1", "app1.example.test", Map.of());
		// The scale is the first write.
		cluster.failNextWrites(3, 503);
		StepVerifier.withVirtualTime(() -> Wiring.pipeline(cluster, this.properties).run(KEY))
			.expectSubscription()
			.thenConsumeWhile((event) -> !"restore-replicas".equals(event.step()))
			.expectNextMatches((started) -> started.message().equals("Start the app"))
			.assertNext((waiting) -> {
				assertThat(waiting.step()).isEqualTo("restore-replicas");
				assertThat(waiting.state()).isEqualTo(StepState.RUNNING);
				assertThat(waiting.message()).isEqualTo("Waiting for the Kubernetes API…");
			})
			.thenAwait(Duration.ofSeconds(10))
			.expectNextMatches((asked) -> asked.message().equals("Asked for 1 replica"))
			.thenConsumeWhile((event) -> event.kind() == Kind.PROGRESS)
			.assertNext((ready) -> assertThat(ready.kind()).isEqualTo(Kind.READY))
			.expectComplete()
			.verify(Duration.ofSeconds(10));
		assertThat(cluster.failedCalls()).isEqualTo(3);
		assertThat(cluster.writes()).startsWith("scale ns/app1 1").doesNotHaveDuplicates();
	}

	@Test
	void anOutageWhileLookingForTheAppIsWaitedOutInTheLocateStep() {
		this.cluster.failNextCalls(6, 0);
		this.cluster.setAvailableWithoutEvent("ns", "app1", 2);
		StepVerifier.withVirtualTime(() -> Wiring.pipeline(this.cluster, this.properties).run(KEY).take(3))
			.expectSubscription()
			.expectNextMatches(((e) -> "locate".equals(e.step()) && e.state() == StepState.RUNNING))
			.assertNext((waiting) -> {
				assertThat(waiting.step()).isEqualTo("locate");
				assertThat(waiting.state()).isEqualTo(StepState.RUNNING);
				assertThat(waiting.message()).isEqualTo("Waiting for the Kubernetes API…");
			})
			.thenAwait(Duration.ofSeconds(30))
			.assertNext((found) -> assertThat(found.message()).isEqualTo("Found the app"))
			.expectComplete()
			.verify(Duration.ofSeconds(10));
	}

	@Test
	void anOutageThatOutlastsTheDeadlineFailsWithClusterErrorAtTheDeadline() {
		UnidlerProperties twoMinutes = TestProperties.with(Map.of("unidler.wake.deadline", "2m"));
		this.cluster.apiDown();
		StepVerifier
			.withVirtualTime(
					() -> Wiring.pipeline(this.cluster, twoMinutes).run(KEY).filter(OperationEvent::isTerminal))
			.expectSubscription()
			.expectNoEvent(Duration.ofSeconds(119))
			.thenAwait(Duration.ofSeconds(1))
			.assertNext((failure) -> {
				assertThat(failure.failure()).isEqualTo(FailureReason.CLUSTER_ERROR);
				assertThat(failure.message()).startsWith("Kubernetes did not answer").contains("2 minutes");
				assertThat(failure.elapsedMillis()).isEqualTo(120_000);
			})
			.expectComplete()
			.verify(Duration.ofSeconds(10));
		assertThat(this.cluster.writes()).isEmpty();
	}

	@Test
	void aRefusalIsNotAnOutageAndFailsAtOnce() {
		this.cluster.failNextCalls(1, 403);
		StepVerifier.withVirtualTime(() -> Wiring.pipeline(this.cluster, this.properties).run(KEY).last())
			.assertNext((failure) -> {
				assertThat(failure.failure()).isEqualTo(FailureReason.CLUSTER_ERROR);
				assertThat(failure.step()).isEqualTo("locate");
				assertThat(failure.elapsedMillis()).isZero();
			})
			.expectComplete()
			.verify(Duration.ofSeconds(10));
		assertThat(this.cluster.failedCalls()).isEqualTo(1);
	}

	@RepeatedTest(20)
	void pausesDoubleFromTheFirstUpToTheCapWithJitter() {
		Outages outages = new Outages(this.properties);
		assertThat(outages.pause(1)).isBetween(Duration.ofMillis(200), Duration.ofMillis(300));
		assertThat(outages.pause(2)).isBetween(Duration.ofMillis(400), Duration.ofMillis(600));
		assertThat(outages.pause(4)).isBetween(Duration.ofMillis(1600), Duration.ofMillis(2400));
		assertThat(outages.pause(6)).isBetween(Duration.ofMillis(4000), Duration.ofSeconds(5));
		assertThat(outages.pause(1_000)).isBetween(Duration.ofMillis(4000), Duration.ofSeconds(5));
	}

}
