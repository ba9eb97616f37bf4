package dev.unidler.wake;

import java.util.concurrent.RejectedExecutionException;

import org.jspecify.annotations.Nullable;
import reactor.core.Exceptions;

/**
 * Ends a wake with a message that is safe to show to people. The cause, if any, is for
 * the log only.
 */
public final class WakeFailure extends RuntimeException {

	private final FailureReason reason;

	WakeFailure(FailureReason reason, String userMessage) {
		this(reason, userMessage, null);
	}

	WakeFailure(FailureReason reason, String userMessage, @Nullable Throwable cause) {
		super(userMessage, cause, false, false);
		this.reason = reason;
	}

	FailureReason reason() {
		return this.reason;
	}

	static WakeFailure from(Throwable error) {
		if (error instanceof WakeFailure failure) {
			return failure;
		}
		if (Exceptions.unwrap(error) instanceof RejectedExecutionException
				|| error.getCause() instanceof RejectedExecutionException) {
			// This instance is stopping; the wake is resumable, so another one finishes
			// it.
			return new WakeFailure(FailureReason.SHUTTING_DOWN,
					"The unidler is restarting. Try again in a moment to finish waking the app.", error);
		}
		return new WakeFailure(FailureReason.CLUSTER_ERROR,
				"Kubernetes did not answer as expected while waking the app. Try again in a moment.", error);
	}

}
