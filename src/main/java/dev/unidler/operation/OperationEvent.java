package dev.unidler.operation;

import org.jspecify.annotations.Nullable;

/**
 * One thing that happened during an operation, in the order it happened.
 *
 * @param sequence position within the run, from 1
 * @param kind progress, or how the operation ended
 * @param step the step it concerns
 * @param state the step's state after it
 * @param message a short sentence for people
 * @param replicas replica counts while the app starts
 * @param failure why it failed, on a failure only
 * @param elapsedMillis time since the run began
 */
public record OperationEvent(long sequence, Kind kind, String step, StepState state, String message,
		@Nullable Replicas replicas, @Nullable FailureReason failure, long elapsedMillis) {

	/** Whether this event ends the run. */
	public boolean isTerminal() {
		return this.kind != Kind.PROGRESS;
	}

	/** What an event says about the run as a whole. */
	public enum Kind {

		/** A step started, advanced or finished. */
		PROGRESS,

		/** The app serves again. */
		READY,

		/** It stopped without doing what was asked. */
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
