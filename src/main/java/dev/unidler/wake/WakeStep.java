package dev.unidler.wake;

import reactor.core.publisher.Flux;

/**
 * One step of a wake. Steps run in {@link org.springframework.core.annotation.Order
 * order}; each reads the state before it writes and does nothing when its part is already
 * done, so a wake cut short anywhere is finished by the next one.
 */
interface WakeStep {

	/** A stable identifier, used in events. */
	String name();

	/** What the step does, for people. */
	String description();

	/**
	 * Runs the step; completes when its part is done, fails with a {@link WakeFailure}.
	 */
	Flux<Progress> run(App app);

}
