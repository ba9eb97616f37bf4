package dev.unidler.wake;

import java.time.Duration;
import java.util.Map;

import dev.unidler.TestProperties;
import dev.unidler.UnidlerProperties;
import dev.unidler.app.AppKey;
import dev.unidler.app.PodProblem;
import dev.unidler.app.ServiceSpec;
import dev.unidler.operation.FailureReason;
import dev.unidler.operation.OperationEvent;
import dev.unidler.operation.OperationEvent.Kind;
import dev.unidler.operation.OperationEvent.StepState;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

class WakePipelineTests {

	private static final AppKey KEY = new AppKey("app1.example.test", "host", "app1.example.test");

	private final UnidlerProperties properties = TestProperties.defaults();

	@Test
	void wakesAnIdledAppThroughEveryStepInOrder() {
		FakeCluster cluster = new FakeCluster().idledApp("ns", "app1", "app1.example.test",
				Map.of("mojanalytics.xyz/replicas-when-unidled", "3", "mojanalytics.xyz/idled-at",
						"2018-02-07T11:44:20+00:00"));
		StepVerifier.create(Wiring.pipeline(cluster, this.properties).run(KEY).map(this::describe))
			.expectNext("locate running", "locate done")
			.expectNext("restore-replicas running", "restore-replicas running", "restore-replicas done")
			.expectNext("await-available running", "await-available running", "await-available done")
			.expectNext("mark-awake running", "mark-awake running", "mark-awake done")
			.expectNext("repoint-service running", "repoint-service running", "repoint-service done")
			.expectNext("await-routable running", "await-routable running", "await-routable done")
			.expectNext("READY")
			.expectComplete()
			.verify(Duration.ofSeconds(10));
		assertThat(cluster.writes()).containsExactly("scale ns/app1 3", "strip ns/app1",
				"service ns/app1 ServiceSpec[type=ClusterIP, selector={app=app1}, ports=[Port[name=null, port=80, targetPort=3000, protocol=TCP, appProtocol=null]]"
						+ ", routing=Routing[headless=false, sessionAffinity=null, sessionAffinityTimeoutSeconds=null, publishNotReadyAddresses=null, internalTrafficPolicy=null, trafficDistribution=null, ipFamilyPolicy=null, ipFamilies=[]]]");
		assertThat(cluster.deploymentNow("ns", "app1").labels()).doesNotContainKey("mojanalytics.xyz/idled");
		assertThat(cluster.deploymentNow("ns", "app1").annotations()).isEmpty();
	}

	@Test
	void numbersEventsFromOneAndReportsReplicaCounts() {
		FakeCluster cluster = new FakeCluster().idledApp("ns", "app1", "app1.example.test",
				Map.of("mojanalytics.xyz/replicas-when-unidled", "2"));
		StepVerifier.create(Wiring.pipeline(cluster, this.properties).run(KEY).collectList()).assertNext((events) -> {
			assertThat(events).extracting(OperationEvent::sequence)
				.containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, events.size()).boxed().toList());
			assertThat(events).filteredOn((e) -> e.step().equals("await-available") && e.replicas() != null)
				.extracting(OperationEvent::replicas)
				.contains(new OperationEvent.Replicas(2, 2));
		}).expectComplete().verify(Duration.ofSeconds(10));
	}

	@Test
	void anAwakeAppIsReadyAtOnceAndNothingIsWritten() {
		FakeCluster cluster = new FakeCluster().awakeApp("ns", "app1", "app1.example.test");
		StepVerifier.create(Wiring.pipeline(cluster, this.properties).run(KEY).map(this::describe))
			.expectNext("locate running", "locate done", "READY")
			.expectComplete()
			.verify(Duration.ofSeconds(10));
		assertThat(cluster.writes()).isEmpty();
	}

	@Test
	void anUnknownHostFailsWithoutWriting() {
		FakeCluster cluster = new FakeCluster();
		StepVerifier.create(Wiring.pipeline(cluster, this.properties).run(KEY))
			.expectNextMatches((e) -> "locate".equals(e.step()) && e.state() == StepState.RUNNING)
			.assertNext((failure) -> {
				assertThat(failure.kind()).isEqualTo(Kind.FAILURE);
				assertThat(failure.failure()).isEqualTo(FailureReason.UNKNOWN_APP);
				assertThat(failure.step()).isEqualTo("locate");
				assertThat(failure.message()).contains("app1.example.test");
			})
			.expectComplete()
			.verify(Duration.ofSeconds(10));
		assertThat(cluster.writes()).isEmpty();
	}

	@Test
	void twoMatchingDeploymentsFailWithoutWriting() {
		FakeCluster cluster = new FakeCluster().idledApp("a", "app1", "app1.example.test", Map.of())
			.idledApp("b", "app1", "app1.example.test", Map.of());
		StepVerifier.create(Wiring.pipeline(cluster, this.properties).run(KEY).last())
			.assertNext((failure) -> assertThat(failure.failure()).isEqualTo(FailureReason.AMBIGUOUS_APP))
			.expectComplete()
			.verify(Duration.ofSeconds(10));
		assertThat(cluster.writes()).isEmpty();
	}

	@Test
	void anUnreadableSavedServiceSpecFailsBeforeAnyWrite() {
		FakeCluster cluster = new FakeCluster().idledApp("ns", "app1", "app1.example.test", Map.of())
			.annotateService("ns", "app1", "unidler.dev/service-spec", "{not json");
		StepVerifier.create(Wiring.pipeline(cluster, this.properties).run(KEY).last()).assertNext((failure) -> {
			assertThat(failure.failure()).isEqualTo(FailureReason.INVALID_APP);
			assertThat(failure.message()).contains("unidler.dev/service-spec").doesNotContain("not json");
		}).expectComplete().verify(Duration.ofSeconds(10));
		assertThat(cluster.writes()).isEmpty();
	}

	@Test
	void aSavedServiceSpecIsRestoredAsSaved() {
		FakeCluster cluster = new FakeCluster().idledApp("ns", "app1", "app1.example.test", Map.of())
			.annotateService("ns", "app1", "unidler.dev/service-spec",
					"{\"type\":\"NodePort\",\"selector\":{\"tier\":\"web\"},\"ports\":[{\"name\":\"web\",\"port\":8080,\"targetPort\":\"http\"}]}");
		StepVerifier.create(Wiring.pipeline(cluster, this.properties).run(KEY).last())
			.assertNext((ready) -> assertThat(ready.kind()).isEqualTo(Kind.READY))
			.expectComplete()
			.verify(Duration.ofSeconds(10));
		assertThat(cluster.writes()).contains(
				"service ns/app1 ServiceSpec[type=NodePort, selector={tier=web}, ports=[Port[name=web, port=8080, targetPort=http, protocol=TCP, appProtocol=null]]"
						+ ", routing=Routing[headless=false, sessionAffinity=null, sessionAffinityTimeoutSeconds=null, publishNotReadyAddresses=null, internalTrafficPolicy=null, trafficDistribution=null, ipFamilyPolicy=null, ipFamilies=[]]]");
		assertThat(cluster.serviceNow("ns", "app1").annotations()).doesNotContainKey("unidler.dev/service-spec");
	}

	@Test
	void theStepsRestoreWhatTheAppCarriesNowNotWhatTheLookupSaw() {
		// The lookup read the cache before an idle on another replica saved the app's
		// replicas and Service spec; the steps read both afresh before they write.
		UnidlerProperties properties = this.properties;
		FakeCluster cluster = new FakeCluster()
			.idledApp("ns", "app1", "app1.example.test", Map.of("mojanalytics.xyz/replicas-when-unidled", "3"))
			.annotateService("ns", "app1", "unidler.dev/service-spec",
					"{\"type\":\"NodePort\",\"selector\":{\"tier\":\"web\"},\"ports\":[{\"port\":8080,\"targetPort\":\"http\"}]}");
		App seen = new App(KEY, "ns", "app1", "app1", 1);

		StepVerifier
			.create(Flux.fromIterable(Wiring.steps(cluster, properties).steps())
				.filter((step) -> !"await-routable".equals(step.name()))
				.concatMap((step) -> step.run(seen))
				.then())
			.expectComplete()
			.verify(Duration.ofSeconds(10));

		assertThat(cluster.deploymentNow("ns", "app1").replicas()).isEqualTo(3);
		assertThat(cluster.serviceNow("ns", "app1").type()).isEqualTo("NodePort");
		assertThat(cluster.serviceNow("ns", "app1").selector()).isEqualTo(Map.of("tier", "web"));
	}

	@Test
	void theDeadlineEndsAWakeThatNeverBecomesAvailable() {
		FakeCluster cluster = new FakeCluster().manualAvailability()
			.idledApp("ns", "app1", "app1.example.test", Map.of());
		UnidlerProperties fast = TestProperties.with(Map.of("unidler.wake.deadline", "2m"));
		StepVerifier.withVirtualTime(() -> Wiring.pipeline(cluster, fast).run(KEY).filter(OperationEvent::isTerminal))
			.expectSubscription()
			.expectNoEvent(Duration.ofSeconds(119))
			.thenAwait(Duration.ofSeconds(1))
			.assertNext((failure) -> {
				assertThat(failure.failure()).isEqualTo(FailureReason.DEADLINE);
				assertThat(failure.step()).isEqualTo("await-available");
				assertThat(failure.message()).contains("2 minutes");
				assertThat(failure.elapsedMillis()).isEqualTo(120_000);
			})
			.expectComplete()
			.verify(Duration.ofSeconds(10));
	}

	@Test
	void aLostWatchEventIsMadeUpByThePeriodicRecheck() {
		FakeCluster cluster = new FakeCluster().manualAvailability()
			.idledApp("ns", "app1", "app1.example.test", Map.of());
		StepVerifier
			.withVirtualTime(() -> Wiring.pipeline(cluster, this.properties)
				.run(KEY)
				.filter((e) -> e.step().equals("await-available") && e.state() == StepState.DONE))
			.expectSubscription()
			.thenAwait(Duration.ofSeconds(1))
			// The state changes as a controller would change it, but no watch event
			// arrives.
			.then(() -> cluster.setAvailableWithoutEvent("ns", "app1", 1))
			.expectNoEvent(Duration.ofSeconds(3))
			.thenAwait(Duration.ofSeconds(1))
			.expectNextCount(1)
			.thenCancel()
			.verify(Duration.ofSeconds(10));
	}

	@Test
	void podsThatCannotPullTheirImageFailTheWakeAtTheFirstLookAtThem() {
		FakeCluster cluster = new FakeCluster().manualAvailability()
			.idledApp("ns", "app1", "app1.example.test", Map.of());
		cluster.addPodProblem(new PodProblem("app1-x", "ImagePullBackOff", "Back-off pulling image", true));
		StepVerifier
			.withVirtualTime(
					() -> Wiring.pipeline(cluster, this.properties).run(KEY).filter(OperationEvent::isTerminal))
			.expectSubscription()
			// The pods are looked at once the wait has lasted one re-check (5 s).
			.expectNoEvent(Duration.ofMillis(4_900))
			.thenAwait(Duration.ofMillis(100))
			.assertNext((failure) -> {
				assertThat(failure.failure()).isEqualTo(FailureReason.APP_CANNOT_START);
				assertThat(failure.message()).contains("ImagePullBackOff");
			})
			.expectComplete()
			.verify(Duration.ofSeconds(10));
		assertThat(cluster.podLists()).isOne();
	}

	@Test
	void anAppThatStartsQuicklyCostsNoPodList() {
		FakeCluster quick = new FakeCluster().idledApp("ns", "app1", "app1.example.test", Map.of());
		StepVerifier.create(Wiring.pipeline(quick, this.properties).run(KEY).filter(OperationEvent::isTerminal))
			.assertNext((ready) -> assertThat(ready.kind()).isEqualTo(Kind.READY))
			.expectComplete()
			.verify(Duration.ofSeconds(10));
		assertThat(quick.podLists()).isZero();
	}

	@Test
	void anAppThatStartsSlowlyCostsOnePodListPerRecheck() {
		FakeCluster slow = new FakeCluster().manualAvailability().idledApp("ns", "app1", "app1.example.test", Map.of());
		StepVerifier
			.withVirtualTime(() -> Wiring.pipeline(slow, this.properties).run(KEY).filter(OperationEvent::isTerminal))
			.expectSubscription()
			.expectNoEvent(Duration.ofSeconds(31))
			.then(() -> assertThat(slow.podLists()).isEqualTo(6))
			.thenCancel()
			.verify(Duration.ofSeconds(10));
	}

	@Test
	void unschedulablePodsGetAGracePeriodThenFail() {
		FakeCluster cluster = new FakeCluster().manualAvailability()
			.idledApp("ns", "app1", "app1.example.test", Map.of());
		cluster.addPodProblem(new PodProblem("app1-x", "Unschedulable", "0/2 nodes are available", false));
		StepVerifier
			.withVirtualTime(
					() -> Wiring.pipeline(cluster, this.properties).run(KEY).filter(OperationEvent::isTerminal))
			.expectSubscription()
			.expectNoEvent(Duration.ofSeconds(29))
			.thenAwait(Duration.ofSeconds(6))
			.assertNext((failure) -> {
				assertThat(failure.failure()).isEqualTo(FailureReason.APP_CANNOT_START);
				assertThat(failure.message()).contains("Unschedulable").contains("0/2 nodes are available");
			})
			.expectComplete()
			.verify(Duration.ofSeconds(10));
	}

	private String describe(OperationEvent event) {
		return (event.kind() == Kind.PROGRESS) ? event.step() + " " + event.state().name().toLowerCase()
				: event.kind().name();
	}

}
