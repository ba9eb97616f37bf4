package dev.unidler.fleet;

import java.time.Instant;
import java.time.InstantSource;

import dev.unidler.app.AppEvent.Regarding;
import dev.unidler.operation.FailureReason;
import dev.unidler.operation.OperationEvent;
import dev.unidler.operation.OperationEvent.Kind;
import dev.unidler.operation.OperationEvent.StepState;
import dev.unidler.operation.OperationKind;
import dev.unidler.operation.OperationSubject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the fleet hears of the operations: what runs on an app, how the last operation
 * ended, and which wake last woke it.
 */
class OperationsSeenTests {

	private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

	private static final Regarding WEB = Regarding.workload("Deployment", "team", "web");

	private final OperationsSeen seen = new OperationsSeen(InstantSource.fixed(NOW));

	@Test
	void aWakeRunsFromFindingItsAppToItsEndAndIsTheLastWake() {
		OperationSubject looking = new OperationSubject("w1", OperationKind.WAKE, "web.example.test", null,
				OperationSubject.REQUEST, null);
		OperationSubject found = new OperationSubject("w1", OperationKind.WAKE, "web.example.test", WEB,
				OperationSubject.REQUEST, null);

		this.seen.started(looking);
		this.seen.event(looking, progress(1, "locate"));
		assertThat(this.seen.running("team/web")).isEmpty();
		this.seen.event(found, progress(2, "restore-replicas"));
		assertThat(this.seen.running("team/web")).contains(OperationKind.WAKE);
		this.seen.event(found, end(3, "await-routable", null, 3_200));

		assertThat(this.seen.running("team/web")).isEmpty();
		assertThat(this.seen.lastWake("team/web")).get().satisfies((wake) -> {
			assertThat(wake.elapsedMillis()).isEqualTo(3_200);
			assertThat(wake.at()).isEqualTo(NOW);
			assertThat(wake.succeeded()).isTrue();
		});
	}

	@Test
	void aWakeThatFoundTheAppAwakeWokeNothing() {
		OperationSubject wake = new OperationSubject("w1", OperationKind.WAKE, "web.example.test", WEB,
				OperationSubject.REQUEST, null);

		this.seen.started(wake);
		this.seen.event(wake, progress(1, "locate"));
		this.seen.event(wake, end(2, "locate", null, 5));

		assertThat(this.seen.lastWake("team/web")).isEmpty();
		assertThat(this.seen.last("team/web")).get().extracting(Outcome::succeeded).isEqualTo(true);
	}

	@Test
	void aRefusedRestartNeitherFailsTheAppNorEndsTheWakeThatRuns() {
		OperationSubject wake = new OperationSubject("w1", OperationKind.WAKE, "web.example.test", WEB,
				OperationSubject.REQUEST, null);
		OperationSubject restart = new OperationSubject("r1", OperationKind.RESTART, "web.example.test", WEB, "ci",
				"data");

		this.seen.started(wake);
		this.seen.started(restart);
		this.seen.event(restart, end(1, "locate", FailureReason.BUSY, 1));

		assertThat(this.seen.running("team/web")).contains(OperationKind.WAKE);
		assertThat(this.seen.last("team/web")).isEmpty();
	}

	@Test
	void aFailureIsRememberedUntilAnOperationSucceeds() {
		OperationSubject restart = new OperationSubject("r1", OperationKind.RESTART, null, WEB, "ci", null);
		OperationSubject again = new OperationSubject("r2", OperationKind.RESTART, null, WEB, "ci", null);

		this.seen.started(restart);
		this.seen.event(restart, end(4, "await-rollout", FailureReason.APP_CANNOT_START, 9_000));
		assertThat(this.seen.last("team/web")).get().satisfies((last) -> {
			assertThat(last.succeeded()).isFalse();
			assertThat(last.failure()).isEqualTo(FailureReason.APP_CANNOT_START);
			assertThat(last.kind()).isEqualTo(OperationKind.RESTART);
		});
		this.seen.started(again);
		this.seen.event(again, end(4, "await-rollout", null, 8_000));

		assertThat(this.seen.last("team/web")).get().extracting(Outcome::succeeded).isEqualTo(true);
	}

	@Test
	void anAbandonedOperationNoLongerRuns() {
		OperationSubject idle = new OperationSubject("i1", OperationKind.IDLE, null, WEB, "schedule", null);

		this.seen.started(idle);
		assertThat(this.seen.running("team/web")).contains(OperationKind.IDLE);
		this.seen.abandoned(idle);

		assertThat(this.seen.running("team/web")).isEmpty();
		assertThat(this.seen.last("team/web")).isEmpty();
	}

	@Test
	void memoryIsBounded() {
		for (int i = 0; i <= OperationsSeen.CAPACITY; i++) {
			OperationSubject idle = new OperationSubject("i" + i, OperationKind.IDLE, null,
					Regarding.workload("Deployment", "team", "app" + i), "schedule", null);
			this.seen.event(idle, end(1, "scale-down", null, 10));
		}

		assertThat(this.seen.last("team/app0")).isEmpty();
		assertThat(this.seen.last("team/app" + OperationsSeen.CAPACITY)).isPresent();
	}

	private static OperationEvent progress(long sequence, String step) {
		return new OperationEvent(sequence, Kind.PROGRESS, step, StepState.RUNNING, "…", null, null, 0);
	}

	private static OperationEvent end(long sequence, String step, FailureReason failure, long elapsed) {
		return new OperationEvent(sequence, (failure == null) ? Kind.READY : Kind.FAILURE, step,
				(failure == null) ? StepState.DONE : StepState.FAILED, (failure == null) ? "Done" : "Failed", null,
				failure, elapsed);
	}

}
