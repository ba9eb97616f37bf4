package dev.unidler.wake;

import org.jspecify.annotations.Nullable;

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
		return new WakeFailure(FailureReason.CLUSTER_ERROR,
				"Kubernetes did not answer as expected while waking the app. Try again in a moment.", error);
	}

}
