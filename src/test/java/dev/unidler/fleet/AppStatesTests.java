package dev.unidler.fleet;

import java.time.Instant;
import java.time.ZoneId;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.unidler.TestProperties;
import dev.unidler.app.ServiceSpec;
import dev.unidler.app.ServiceState;
import dev.unidler.app.WorkloadState;
import dev.unidler.idle.IdleProperties;
import dev.unidler.operation.FailureReason;
import dev.unidler.operation.OperationKind;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How an app's state is told from its workload, its Service and the operations: every
 * combination of the idled-state contract's three parts, and what runs or failed.
 */
class AppStatesTests {

	private static final String IDLED = "mojanalytics.xyz/idled";

	private static final String IDLED_AT = "mojanalytics.xyz/idled-at";

	private static final String REPLICAS = "mojanalytics.xyz/replicas-when-unidled";

	private final AppStates states = new AppStates(TestProperties.defaults(), new IdleProperties(Duration.ofMinutes(2),
			"unidler.dev/idle-schedule", "unidler.dev/idle-time-zone", ZoneId.of("UTC"), Duration.ofSeconds(30), true));

	@Test
	void anAppServingBehindItsServiceIsAwake() {
		AppStatus status = classify(deployment(2, 2, Map.of(), Map.of()), routed());

		assertThat(status.state()).isEqualTo(AppState.AWAKE);
		assertThat(status.drift()).isEmpty();
		assertThat(status.desired()).isEqualTo(2);
		assertThat(status.available()).isEqualTo(2);
		assertThat(status.host()).isEqualTo("web.example.test");
	}

	@Test
	void theWholeContractIsIdledSinceItsAnnotation() {
		AppStatus status = classify(
				deployment(0, 0, Map.of(IDLED, "true"), Map.of(IDLED_AT, "2026-11-23T19:00:00+00:00", REPLICAS, "2")),
				atUnidler());

		assertThat(status.state()).isEqualTo(AppState.IDLED);
		assertThat(status.drift()).isEmpty();
		assertThat(status.idledSince()).isEqualTo(Instant.parse("2026-11-23T19:00:00Z"));
	}

	@Test
	void theLegacyIdledAtFormIsReadToo() {
		assertThat(AppStates.idledSince("2018-02-07T11:44:20+00:00,3"))
			.isEqualTo(Instant.parse("2018-02-07T11:44:20Z"));
		assertThat(AppStates.idledSince("yesterday")).isNull();
		assertThat(AppStates.idledSince(null)).isNull();
	}

	@Test
	void aStrippedLabelOnAnAppStillAtZeroReplicasIsDrifted() {
		// The old platform's half-woken app: the label gone, nothing scaled up.
		AppStatus status = classify(deployment(0, 0, Map.of(), Map.of(IDLED_AT, "2026-11-23T19:00:00+00:00")),
				atUnidler());

		assertThat(status.state()).isEqualTo(AppState.DRIFTED);
		assertThat(status.drift()).containsExactly("Idled label stripped but 0 replicas: nothing serves it");
	}

	@Test
	void replicasBehindAServiceStillAtTheUnidlerIsDrifted() {
		AppStatus status = classify(deployment(1, 1, Map.of(), Map.of()), atUnidler());

		assertThat(status.state()).isEqualTo(AppState.DRIFTED);
		assertThat(status.drift()).containsExactly("1 replica asked for but the Service still points at the unidler");
	}

	@Test
	void idledAnnotationsLeftOnARunningAppAreDrift() {
		AppStatus status = classify(deployment(3, 3, Map.of(), Map.of(REPLICAS, "3")), routed());

		assertThat(status.state()).isEqualTo(AppState.DRIFTED);
		assertThat(status.drift()).containsExactly("Idled annotations left on a running app");
	}

	@Test
	void anIdledLabelOnAnAppWithReplicasIsDrift() {
		AppStatus status = classify(deployment(2, 0, Map.of(IDLED, "true"), Map.of(REPLICAS, "2")), atUnidler());

		assertThat(status.state()).isEqualTo(AppState.DRIFTED);
		assertThat(status.drift()).containsExactly("Marked idled but asks for 2 replicas",
				"2 replicas asked for but the Service still points at the unidler");
	}

	@Test
	void anIdledAppWhoseServiceDoesNotReachTheUnidlerIsDrift() {
		assertThat(classify(deployment(0, 0, Map.of(IDLED, "true"), Map.of()), routed()).drift()).containsExactly(
				"Idled but the Service does not point at the unidler: requests never reach the waiting page");
		assertThat(classify(deployment(0, 0, Map.of(IDLED, "true"), Map.of())).drift())
			.containsExactly("Idled but no Service carries its host: nothing can wake it");
	}

	@Test
	void zeroReplicasWithoutAnyMarkIsStoppedOnPurpose() {
		AppStatus status = classify(deployment(0, 0, Map.of(), Map.of()), routed());

		assertThat(status.state()).isEqualTo(AppState.STOPPED);
		assertThat(status.drift()).isEmpty();
	}

	@Test
	void aRunningOperationWinsOverWhatTheClusterSays() {
		// Mid-wake the app is every kind of inconsistent: that is the wake's business.
		WorkloadState halfWoken = deployment(1, 0, Map.of(IDLED, "true"), Map.of());

		assertThat(this.states
			.classify(halfWoken, List.of(atUnidler()), Optional.of(OperationKind.WAKE), Optional.empty(),
					Optional.empty())
			.state()).isEqualTo(AppState.WAKING);
		assertThat(this.states
			.classify(halfWoken, List.of(atUnidler()), Optional.of(OperationKind.IDLE), Optional.empty(),
					Optional.empty())
			.state()).isEqualTo(AppState.IDLING);
		assertThat(this.states
			.classify(deployment(1, 1, Map.of(), Map.of()), List.of(routed()), Optional.of(OperationKind.RESTART),
					Optional.empty(), Optional.empty())
			.state()).isEqualTo(AppState.RESTARTING);
	}

	@Test
	void aFailedLastOperationIsFailedAndStillSaysWhatDrifted() {
		Outcome failed = new Outcome(OperationKind.WAKE, false, "The app did not start", FailureReason.DEADLINE,
				300_000, Instant.parse("2026-11-23T10:00:00Z"));

		AppStatus status = this.states.classify(deployment(1, 0, Map.of(), Map.of()), List.of(atUnidler()),
				Optional.empty(), Optional.of(failed), Optional.empty());

		assertThat(status.state()).isEqualTo(AppState.FAILED);
		assertThat(status.lastOutcome()).isEqualTo(failed);
		assertThat(status.drift()).containsExactly("1 replica asked for but the Service still points at the unidler");
	}

	@Test
	void aSucceededLastOperationLeavesTheStateToTheCluster() {
		Outcome woken = new Outcome(OperationKind.WAKE, true, "Ready", null, 3_200,
				Instant.parse("2026-11-23T10:00:00Z"));

		AppStatus status = this.states.classify(deployment(1, 1, Map.of(), Map.of()), List.of(routed()),
				Optional.empty(), Optional.of(woken), Optional.of(woken));

		assertThat(status.state()).isEqualTo(AppState.AWAKE);
		assertThat(status.lastWake()).isEqualTo(woken);
	}

	@Test
	void statefulSetsHaveNoIdledContractToDriftFrom() {
		WorkloadState statefulSet = new WorkloadState("StatefulSet", "team", "db", 1, 1,
				Map.of("host", "db.example.test"), Map.of(REPLICAS, "1"));

		AppStatus status = this.states.classify(statefulSet, List.of(atUnidler()), Optional.empty(), Optional.empty(),
				Optional.empty());

		assertThat(status.state()).isEqualTo(AppState.AWAKE);
		assertThat(status.drift()).isEmpty();
	}

	@Test
	void theIdleScheduleComesFromItsAnnotations() {
		AppStatus status = classify(deployment(1, 1, Map.of(),
				Map.of("unidler.dev/idle-schedule", "0 19 * * MON-FRI", "unidler.dev/idle-time-zone", "Europe/London")),
				routed());

		assertThat(status.idleSchedule()).isEqualTo("0 19 * * MON-FRI");
		assertThat(status.idleTimeZone()).isEqualTo("Europe/London");
	}

	private AppStatus classify(WorkloadState workload, ServiceState... services) {
		return this.states.classify(workload, List.of(services), Optional.empty(), Optional.empty(), Optional.empty());
	}

	private static WorkloadState deployment(int desired, int available, Map<String, String> labels,
			Map<String, String> annotations) {
		Map<String, String> all = new HashMap<>(labels);
		all.put("host", "web.example.test");
		return new WorkloadState("Deployment", "team", "web", desired, available, all, annotations);
	}

	private static ServiceState routed() {
		return new ServiceState("team", "web",
				new ServiceSpec("ClusterIP", Map.of("app", "web"), List.of(), ServiceSpec.Routing.UNSET), null,
				Map.of("host", "web.example.test"), Map.of());
	}

	private static ServiceState atUnidler() {
		return new ServiceState("team", "web",
				new ServiceSpec("ExternalName", Map.of(), List.of(), ServiceSpec.Routing.UNSET),
				"unidler.unidler.svc.cluster.local", Map.of("host", "web.example.test"), Map.of());
	}

}
