package dev.unidler.wake;

import org.jspecify.annotations.Nullable;

/**
 * One thing that happened during a wake, in the order it happened.
 *
 * @param sequence position within the wake, from 1
 * @param kind progress, or how the wake ended
 * @param step the step it concerns
 * @param state the step's state after it
 * @param message a short sentence for people
 * @param replicas replica counts while the app starts
 * @param failure why the wake failed, on a failure only
 * @param elapsedMillis time since the wake began
 */
public record WakeEvent(long sequence, Kind kind, String step, StepState state, String message,
		@Nullable Replicas replicas, @Nullable FailureReason failure, long elapsedMillis) {

	/** Whether this event ends the wake. */
	public boolean isTerminal() {
		return this.kind != Kind.PROGRESS;
	}

	boolean isLocating() {
		return this.kind == Kind.PROGRESS && WakeSteps.LOCATE.equals(this.step) && this.state == StepState.RUNNING;
	}

	/** What an event says about the wake as a whole. */
	public enum Kind {

		/** A step started, advanced or finished. */
		PROGRESS,

		/** The app serves again. */
		READY,

		/** The wake stopped without waking the app. */
		FAILURE

	}

	/** The state of one step. */
	public enum StepState {

		RUNNING, DONE, FAILED

	}

	/**
	 * Replica counts of a starting app.
	 *
	 * @param available replicas available now
	 * @param desired replicas asked for
	 */
	public record Replicas(int available, int desired) {

	}

}
