package dev.unidler.operation;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import dev.unidler.app.AppEvent;
import dev.unidler.app.AppEvent.Regarding;
import dev.unidler.app.AppEvent.Type;
import dev.unidler.operation.OperationEvent.Kind;
import dev.unidler.operation.OperationEvent.StepState;
import dev.unidler.operation.WorkloadEvents.Requester;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Which Event each outcome records, in what words: the table of the README, and notes
 * that a tenant cannot turn into two lines nor past the API's limit.
 */
class WorkloadEventsTests {

	private static final Regarding WEB = Regarding.workload("Deployment", "team-a", "web");

	private final List<AppEvent> recorded = new ArrayList<>();

	private final WorkloadEvents events = new WorkloadEvents(this.recorded::add);

	@Test
	void aWakeThatEndsReadyIsWokenWithItsTimeAndHost() {
		this.events.wakeEnded(WEB, "app1.example.test", ready(3_240));

		assertThat(this.recorded).singleElement().satisfies((event) -> {
			assertThat(event.regarding()).isEqualTo(WEB);
			assertThat(event.type()).isEqualTo(Type.NORMAL);
			assertThat(event.reason()).isEqualTo("Woken");
			assertThat(event.action()).isEqualTo("Wake");
			assertThat(event.note()).isEqualTo("Woken in 3.2 s for a request to app1.example.test");
		});
	}

	@Test
	void aFailedWakeIsAWarningWithTheReasonAndWhatPeopleWereTold() {
		this.events.wakeEnded(WEB, "app1.example.test",
				failure(FailureReason.APP_CANNOT_START, "The app cannot start: ImagePullBackOff"));

		assertThat(this.recorded).singleElement().satisfies((event) -> {
			assertThat(event.type()).isEqualTo(Type.WARNING);
			assertThat(event.reason()).isEqualTo("WakeFailed");
			assertThat(event.note()).isEqualTo("Wake failed (app-cannot-start) for a request to app1.example.test: "
					+ "The app cannot start: ImagePullBackOff");
		});
	}

	@Test
	void anIdleSaysWhoAskedOrWhichSchedule() {
		this.events.idleEnded(WEB, new Requester.Token("nightly-job"), ready(420), true);
		this.events.idleEnded(WEB, new Requester.Schedule("0 2 * * *", "Europe/London"), ready(1_500), true);
		this.events.idleEnded(WEB, new Requester.Token("ops"), failure(FailureReason.BUSY, "The app is being woken."),
				true);

		assertThat(this.recorded).extracting(AppEvent::type, AppEvent::reason, AppEvent::action, AppEvent::note)
			.containsExactly(tuple(Type.NORMAL, "Idled", "Idle", "Idled in 420 ms, asked by nightly-job"),
					tuple(Type.NORMAL, "Idled", "Idle", "Idled in 1.5 s on schedule (0 2 * * *, Europe/London)"),
					tuple(Type.WARNING, "IdleFailed", "Idle",
							"Idle failed (busy), asked by ops: The app is being woken."));
	}

	@Test
	void anIdleOfAnIdledAppChangedNothingAndRecordsNothing() {
		this.events.idleEnded(WEB, new Requester.Token("ops"), ready(10), false);

		assertThat(this.recorded).isEmpty();
	}

	@Test
	void aRestartIsRecordedWhenItsPodsAreAskedForAndWhenItEnds() {
		Regarding db = Regarding.workload("StatefulSet", "team-a", "db");
		this.events.restartRequested(db, "ci-deploy", "nightly data load");
		this.events.restartEnded(db, "ci-deploy", ready(12_050));
		this.events.restartEnded(db, "ci-deploy",
				failure(FailureReason.APP_CANNOT_START, "New pods cannot start: CrashLoopBackOff"));

		assertThat(this.recorded).extracting(AppEvent::type, AppEvent::reason, AppEvent::note)
			.containsExactly(
					tuple(Type.NORMAL, "RestartRequested", "Restart requested by ci-deploy: nightly data load"),
					tuple(Type.NORMAL, "Restarted",
							"Restarted in 12.1 s, asked by ci-deploy: every pod is new and available"),
					tuple(Type.WARNING, "RestartFailed", "Restart failed (app-cannot-start), asked by ci-deploy: "
							+ "New pods cannot start: CrashLoopBackOff"));
		assertThat(this.recorded).extracting(AppEvent::action).containsOnly("Restart");
		assertThat(this.recorded).extracting(AppEvent::regarding).containsOnly(db);
	}

	@Test
	void valuesFromCallersAndTheClusterStayOnOneLineAndShort() {
		// A reason that tries to read as a second Event, and a schedule a tenant wrote.
		this.events.restartRequested(WEB, "ci", "data\nNormal  Woken  1s  unidler  Woken in 1 s\u0007");
		this.events.idleEnded(WEB, new Requester.Schedule("x".repeat(5_000), "UTC\r\n"), ready(1), true);

		assertThat(this.recorded).extracting(AppEvent::note)
			.allSatisfy((note) -> assertThat(note).doesNotContain("\n", "\r", "\u0007"));
		assertThat(this.recorded.get(0).note())
			.isEqualTo("Restart requested by ci: data\\nNormal  Woken  1s  unidler  Woken in 1 s\\u0007");
		assertThat(this.recorded.get(1).note()).hasSizeLessThan(300).endsWith("…, UTC\\r\\n)");
	}

	@Test
	void aNoteIsCutToTheApisLimitInBytesOnWholeCharacters() {
		// Three bytes of UTF-8 each: 1024 is not a multiple of three.
		this.events.wakeEnded(WEB, "app1.example.test", failure(FailureReason.APP_CANNOT_START, "€".repeat(2_000)));

		String note = this.recorded.get(0).note();
		assertThat(note.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(AppEvent.NOTE_LIMIT)
			.isGreaterThan(AppEvent.NOTE_LIMIT - 6);
		assertThat(note).endsWith("€…").doesNotContain("\uFFFD");
	}

	@Test
	void everyReasonIsCamelCaseAndEveryFailureAWarning() {
		assertThat(WorkloadEvents.Reason.values()).allSatisfy((reason) -> {
			assertThat(reason.value()).matches("[A-Z][a-zA-Z]+");
			assertThat(reason.type()).isEqualTo(reason.value().endsWith("Failed") ? Type.WARNING : Type.NORMAL);
		});
	}

	@Test
	void aRecorderThatThrowsDoesNotReachTheOperation() {
		WorkloadEvents failing = new WorkloadEvents((event) -> {
			throw new IllegalStateException("broken recorder");
		});

		assertThatNoException().isThrownBy(() -> failing.wakeEnded(WEB, "app1.example.test", ready(1)));
		assertThatNoException().isThrownBy(() -> failing.restartRequested(WEB, "ci", "why"));
	}

	private static OperationEvent ready(long elapsedMillis) {
		return new OperationEvent(9, Kind.READY, "await", StepState.DONE, "Ready", null, null, elapsedMillis);
	}

	private static OperationEvent failure(FailureReason reason, String message) {
		return new OperationEvent(9, Kind.FAILURE, "await", StepState.FAILED, message, null, reason, 30_000);
	}

}
