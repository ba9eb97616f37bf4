package dev.unidler.metrics;

import dev.unidler.TestProperties;
import dev.unidler.operation.FailureReason;
import dev.unidler.operation.OperationEvent;
import dev.unidler.operation.OperationEvent.Kind;
import dev.unidler.operation.OperationEvent.StepState;
import dev.unidler.operation.OperationKind;
import dev.unidler.operation.OperationSubject;
import dev.unidler.wake.WakesForTests;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the operation metrics make of the events of runs: outcomes, failure reasons,
 * durations, wake phases and runs under way.
 */
class OperationMetricsTests {

	private final MeterRegistry registry = new SimpleMeterRegistry();

	private final OperationMetrics metrics = new OperationMetrics(this.registry,
			WakesForTests.steps(TestProperties.defaults()));

	@Test
	void everySeriesExistsAtZeroBeforeAnyOperation() {
		for (OperationKind kind : OperationKind.values()) {
			for (String outcome : OperationMetrics.OUTCOMES) {
				assertThat(operations(kind, outcome)).isZero();
			}
			assertThat(this.registry.get(OperationMetrics.FAILURES)
				.tags("kind", kind.id(), "reason", "unknown-app")
				.counter()
				.count()).isZero();
			assertThat(running(kind)).isZero();
		}
		assertThat(this.registry.get(OperationMetrics.WAKE_PHASES).timers())
			.extracting((t) -> t.getId().getTag("phase"))
			.containsExactlyInAnyOrder("locate", "restore-replicas", "await-available", "mark-awake", "repoint-service",
					"await-routable");
	}

	@Test
	void aWakeThatRanItsStepsIsReadyWithItsDurationAndPhases() {
		OperationSubject wake = subject("w1", OperationKind.WAKE);
		this.metrics.started(wake);
		assertThat(running(OperationKind.WAKE)).isEqualTo(1);
		event(wake, 1, Kind.PROGRESS, "locate", StepState.RUNNING, 0);
		event(wake, 2, Kind.PROGRESS, "locate", StepState.DONE, 100);
		event(wake, 3, Kind.PROGRESS, "restore-replicas", StepState.RUNNING, 100);
		event(wake, 4, Kind.PROGRESS, "restore-replicas", StepState.DONE, 300);
		event(wake, 5, Kind.PROGRESS, "await-available", StepState.DONE, 2300);
		event(wake, 6, Kind.PROGRESS, "mark-awake", StepState.DONE, 2400);
		event(wake, 7, Kind.PROGRESS, "repoint-service", StepState.DONE, 2500);
		event(wake, 8, Kind.PROGRESS, "await-routable", StepState.DONE, 3000);
		event(wake, 9, Kind.READY, "await-routable", StepState.DONE, 3000);

		assertThat(operations(OperationKind.WAKE, "ready")).isEqualTo(1);
		assertThat(operations(OperationKind.WAKE, "unchanged")).isZero();
		assertThat(running(OperationKind.WAKE)).isZero();
		Timer duration = duration(OperationKind.WAKE, "ready");
		assertThat(duration.count()).isEqualTo(1);
		assertThat(duration.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS)).isEqualTo(3000);
		// Each phase from the end of the one before: they add up to the whole wake.
		assertThat(phase("locate")).isEqualTo(100);
		assertThat(phase("restore-replicas")).isEqualTo(200);
		assertThat(phase("await-available")).isEqualTo(2000);
		assertThat(phase("mark-awake")).isEqualTo(100);
		assertThat(phase("repoint-service")).isEqualTo(100);
		assertThat(phase("await-routable")).isEqualTo(500);
	}

	@Test
	void aWakeOfAnAwakeAppIsUnchangedNotReadyAndHasNoPhasesButFindingIt() {
		OperationSubject wake = subject("w2", OperationKind.WAKE);
		this.metrics.started(wake);
		event(wake, 1, Kind.PROGRESS, "locate", StepState.RUNNING, 0);
		event(wake, 2, Kind.PROGRESS, "locate", StepState.DONE, 20);
		event(wake, 3, Kind.READY, "locate", StepState.DONE, 20);

		assertThat(operations(OperationKind.WAKE, "unchanged")).isEqualTo(1);
		assertThat(operations(OperationKind.WAKE, "ready")).isZero();
		assertThat(this.registry.get(OperationMetrics.WAKE_PHASES).tag("phase", "restore-replicas").timer().count())
			.isZero();
	}

	@Test
	void aFailureCountsItsReasonOnce() {
		OperationSubject wake = subject("w3", OperationKind.WAKE);
		this.metrics.started(wake);
		event(wake, 1, Kind.PROGRESS, "locate", StepState.RUNNING, 0);
		this.metrics.event(wake, new OperationEvent(2, Kind.FAILURE, "locate", StepState.FAILED, "No such app", null,
				FailureReason.UNKNOWN_APP, 15));
		// Nothing follows a terminal event; if something did, it would not count again.
		event(wake, 3, Kind.READY, "locate", StepState.DONE, 20);

		assertThat(operations(OperationKind.WAKE, "failure")).isEqualTo(1);
		assertThat(operations(OperationKind.WAKE, "ready")).isZero();
		assertThat(this.registry.get(OperationMetrics.FAILURES)
			.tags("kind", "wake", "reason", "unknown-app")
			.counter()
			.count()).isEqualTo(1);
		assertThat(duration(OperationKind.WAKE, "failure").count()).isEqualTo(1);
	}

	@Test
	void anIdleAndARestartCountUnderTheirKindsWithoutWakePhases() {
		OperationSubject idle = subject("i1", OperationKind.IDLE);
		this.metrics.started(idle);
		event(idle, 1, Kind.PROGRESS, "locate", StepState.DONE, 10);
		event(idle, 2, Kind.PROGRESS, "scale-down", StepState.DONE, 50);
		event(idle, 3, Kind.READY, "scale-down", StepState.DONE, 50);
		OperationSubject restart = subject("r1", OperationKind.RESTART);
		this.metrics.started(restart);
		event(restart, 1, Kind.PROGRESS, "locate", StepState.DONE, 10);
		event(restart, 2, Kind.PROGRESS, "request-restart", StepState.DONE, 20);
		event(restart, 3, Kind.READY, "await-rollout", StepState.DONE, 5000);

		assertThat(operations(OperationKind.IDLE, "ready")).isEqualTo(1);
		assertThat(operations(OperationKind.RESTART, "ready")).isEqualTo(1);
		assertThat(operations(OperationKind.WAKE, "ready")).isZero();
		assertThat(this.registry.get(OperationMetrics.WAKE_PHASES).tag("phase", "locate").timer().count()).isZero();
	}

	@Test
	void anAbandonedRunCountsOnceAndNoLongerRuns() {
		OperationSubject restart = subject("r2", OperationKind.RESTART);
		this.metrics.started(restart);
		event(restart, 1, Kind.PROGRESS, "await-rollout", StepState.RUNNING, 10);
		this.metrics.abandoned(restart);
		this.metrics.abandoned(restart);

		assertThat(operations(OperationKind.RESTART, "abandoned")).isEqualTo(1);
		assertThat(running(OperationKind.RESTART)).isZero();
	}

	private static OperationSubject subject(String id, OperationKind kind) {
		return new OperationSubject(id, kind, "app.example.test", null, OperationSubject.REQUEST, null);
	}

	private void event(OperationSubject subject, long sequence, Kind kind, String step, StepState state,
			long elapsedMillis) {
		this.metrics.event(subject,
				new OperationEvent(sequence, kind, step, state, "message", null, null, elapsedMillis));
	}

	private double operations(OperationKind kind, String outcome) {
		return this.registry.get(OperationMetrics.OPERATIONS)
			.tags("kind", kind.id(), "outcome", outcome)
			.counter()
			.count();
	}

	private double running(OperationKind kind) {
		return this.registry.get(OperationMetrics.RUNNING).tag("kind", kind.id()).gauge().value();
	}

	private Timer duration(OperationKind kind, String outcome) {
		return this.registry.get(OperationMetrics.DURATION).tags("kind", kind.id(), "outcome", outcome).timer();
	}

	private double phase(String step) {
		Timer timer = this.registry.get(OperationMetrics.WAKE_PHASES).tag("phase", step).timer();
		assertThat(timer.count()).isEqualTo(1);
		return timer.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS);
	}

}
