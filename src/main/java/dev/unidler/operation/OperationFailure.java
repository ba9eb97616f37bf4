package dev.unidler.operation;

import java.util.concurrent.RejectedExecutionException;

import org.jspecify.annotations.Nullable;
import reactor.core.Exceptions;

/**
 * Ends an operation with a message that is safe to show to people. The cause, if any, is
 * for the log only.
 */
public final class OperationFailure extends RuntimeException {

	private final FailureReason reason;

	public OperationFailure(FailureReason reason, String userMessage) {
		this(reason, userMessage, null);
	}

	public OperationFailure(FailureReason reason, String userMessage, @Nullable Throwable cause) {
		super(userMessage, cause, false, false);
		this.reason = reason;
	}

	public FailureReason reason() {
		return this.reason;
	}

	public static OperationFailure from(Throwable error) {
		if (error instanceof OperationFailure failure) {
			return failure;
		}
		if (Exceptions.unwrap(error) instanceof RejectedExecutionException
				|| error.getCause() instanceof RejectedExecutionException) {
			// This instance is stopping; every operation is resumable, so another run
			// finishes
			// it.
			return new OperationFailure(FailureReason.SHUTTING_DOWN,
					"The unidler is restarting. Try again in a moment to finish.", error);
		}
		return new OperationFailure(FailureReason.CLUSTER_ERROR,
				"Kubernetes did not answer as expected. Try again in a moment.", error);
	}

}
