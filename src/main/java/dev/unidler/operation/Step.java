package dev.unidler.operation;

import reactor.core.publisher.Flux;

/**
 * One step of an operation. Steps run in order; each reads the state before it writes and
 * does nothing when its part is already done, so an operation cut short anywhere is
 * finished by the next run.
 *
 * @param <T> what the step works on: the app, as its operation found it
 */
public interface Step<T> {

	/** A stable identifier, used in events. */
	String name();

	/** What the step does, for people. */
	String description();

	/**
	 * Runs the step; completes when its part is done, fails with an
	 * {@link OperationFailure}.
	 */
	Flux<Progress> run(T subject);

}
