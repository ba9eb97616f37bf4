package dev.unidler.operation;

/**
 * Hears of every operation this instance runs, as it runs: metrics, webhooks. Beans of
 * this type are found by {@link OperationListeners}.
 * <p>
 * Called on the thread that produced the event, which may be a Netty event loop: a
 * listener must not block, and hands anything slow (a delivery over the network) to its
 * own queue. What a listener throws is logged and never reaches the operation.
 */
public interface OperationListener {

	/**
	 * An operation has begun, before its first event.
	 * @param subject what it is about
	 */
	default void started(OperationSubject subject) {
	}

	/**
	 * One of its events, in order, ending with the terminal one ({@code READY} or
	 * {@code FAILURE}); nothing follows a terminal event.
	 * @param subject what it is about, as known at that event (a wake knows its workload
	 * once it has found it)
	 * @param event the event
	 */
	default void event(OperationSubject subject, OperationEvent event) {
	}

	/**
	 * The operation stopped without a terminal event: this instance is shutting down and
	 * leaves it to be resumed (the cluster is its record).
	 * @param subject what it is about
	 */
	default void abandoned(OperationSubject subject) {
	}

}
