package dev.unidler.wake;

import java.time.Duration;
import java.util.Map;

import dev.unidler.TestProperties;
import dev.unidler.UnidlerProperties;
import dev.unidler.app.AppKey;
import dev.unidler.app.ServiceState;
import dev.unidler.operation.FailureReason;
import dev.unidler.operation.OperationEvent.Kind;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Only what is idled wakes: the unidler scales up a Deployment that carries the idled
 * marks, or whose Service points at the unidler, and repoints only a Service that points
 * at one of the unidler's own names. Everything else is {@code not-idled}, with no write.
 */
class OnlyIdledAppsWakeTests {

	private static final AppKey KEY = new AppKey("app1.example.test", "host", "app1.example.test");

	private final UnidlerProperties properties = TestProperties.defaults();

	@Test
	void aDeploymentStoppedOnPurposeBehindANormalServiceIsLeftAlone() {
		FakeCluster cluster = new FakeCluster().stoppedApp("ns", "app1", "app1.example.test");
		StepVerifier.create(Wiring.pipeline(cluster, this.properties).run(KEY).last()).assertNext((failure) -> {
			assertThat(failure.failure()).isEqualTo(FailureReason.NOT_IDLED);
			assertThat(failure.step()).isEqualTo("locate");
			assertThat(failure.message()).contains("app1.example.test").contains("not idled");
		}).expectComplete().verify(Duration.ofSeconds(10));
		assertThat(cluster.writes()).isEmpty();
	}

	@Test
	void anAppWhoseServiceReachesTheCacheJustAfterItsDeploymentStillWakes() {
		// Each kind reaches the cache through its own watch: an app created a moment ago
		// may show its Deployment first.
		FakeCluster cluster = new FakeCluster().idledApp("ns", "app1", "app1.example.test", Map.of());
		ServiceState service = cluster.holdBackService("ns", "app1");
		StepVerifier.withVirtualTime(() -> Wiring.pipeline(cluster, this.properties).run(KEY).last())
			.expectSubscription()
			.then(() -> assertThat(cluster.writes()).isEmpty())
			.then(() -> cluster.putService(service))
			.thenAwait(AppLocator.HALF_FOUND_RECHECK)
			.assertNext((ready) -> assertThat(ready.kind()).isEqualTo(Kind.READY))
			.expectComplete()
			.verify(Duration.ofSeconds(10));
	}

	@Test
	void anAppThatStaysHalfSetUpIsRefusedAfterOneMoreLook() {
		FakeCluster cluster = new FakeCluster().idledApp("ns", "app1", "app1.example.test", Map.of());
		cluster.holdBackService("ns", "app1");
		StepVerifier.withVirtualTime(() -> Wiring.pipeline(cluster, this.properties).run(KEY).last())
			.expectSubscription()
			.thenAwait(AppLocator.HALF_FOUND_RECHECK)
			.assertNext((failure) -> {
				assertThat(failure.failure()).isEqualTo(FailureReason.UNKNOWN_APP);
				assertThat(failure.message()).contains("only partly set up").contains("no Service");
			})
			.expectComplete()
			.verify(Duration.ofSeconds(10));
		assertThat(cluster.writes()).isEmpty();
	}

	@Test
	void anExternalNameServiceForSomethingElseIsNeverRewrittenEvenWithIdledMarks() {
		FakeCluster cluster = new FakeCluster().idledApp("ns", "app1", "app1.example.test", Map.of())
			.externalName("ns", "app1", "db.prod.example.com");
		StepVerifier.create(Wiring.pipeline(cluster, this.properties).run(KEY).last()).assertNext((failure) -> {
			assertThat(failure.failure()).isEqualTo(FailureReason.NOT_IDLED);
			assertThat(failure.message()).contains("somewhere else").doesNotContain("db.prod.example.com");
		}).expectComplete().verify(Duration.ofSeconds(10));
		assertThat(cluster.writes()).isEmpty();
	}

	@Test
	void theOldIdlersNameAndTheInstalledNameBothCountAsTheUnidler() {
		for (String name : new String[] { "unidler.default.svc.cluster.local", "Unidler.Unidler.svc.cluster.local." }) {
			FakeCluster cluster = new FakeCluster().idledApp("ns", "app1", "app1.example.test", Map.of())
				.externalName("ns", "app1", name);
			StepVerifier.create(Wiring.pipeline(cluster, this.properties).run(KEY).last())
				.assertNext((ready) -> assertThat(ready.kind()).as(name).isEqualTo(Kind.READY))
				.expectComplete()
				.verify(Duration.ofSeconds(10));
			assertThat(cluster.serviceNow("ns", "app1").type()).isEqualTo("ClusterIP");
		}
	}

	@Test
	void theUnidlersNamesAreConfigurable() {
		UnidlerProperties ownNames = TestProperties
			.with(Map.of("unidler.service.unidler-names", "unidler.platform.svc.cluster.local"));
		FakeCluster ours = new FakeCluster().idledApp("ns", "app1", "app1.example.test", Map.of())
			.externalName("ns", "app1", "unidler.platform.svc.cluster.local");
		StepVerifier.create(Wiring.pipeline(ours, ownNames).run(KEY).last())
			.assertNext((ready) -> assertThat(ready.kind()).isEqualTo(Kind.READY))
			.expectComplete()
			.verify(Duration.ofSeconds(10));

		// The defaults are replaced, not added to.
		FakeCluster old = new FakeCluster().idledApp("ns", "app1", "app1.example.test", Map.of())
			.externalName("ns", "app1", "unidler.default.svc.cluster.local");
		StepVerifier.create(Wiring.pipeline(old, ownNames).run(KEY).last())
			.assertNext((failure) -> assertThat(failure.failure()).isEqualTo(FailureReason.NOT_IDLED))
			.expectComplete()
			.verify(Duration.ofSeconds(10));
		assertThat(old.writes()).isEmpty();
	}

	@Test
	void aWakeCutShortAfterTheMarksWentIsStillFinished() {
		// Scaled to 0 without marks, but its Service points at the unidler: half-woken
		// (or re-idled by hand), so it wakes.
		FakeCluster cluster = new FakeCluster().idledApp("ns", "app1", "app1.example.test", Map.of())
			.withoutIdledMarks("ns", "app1");
		StepVerifier.create(Wiring.pipeline(cluster, this.properties).run(KEY).last())
			.assertNext((ready) -> assertThat(ready.kind()).isEqualTo(Kind.READY))
			.expectComplete()
			.verify(Duration.ofSeconds(10));
		assertThat(cluster.writes()).hasSize(2).first().isEqualTo("scale ns/app1 1");
		assertThat(cluster.serviceNow("ns", "app1").type()).isEqualTo("ClusterIP");
	}

}
