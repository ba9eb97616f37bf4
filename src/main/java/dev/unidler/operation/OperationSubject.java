package dev.unidler.operation;

import dev.unidler.app.AppEvent.Regarding;
import org.jspecify.annotations.Nullable;

/**
 * What an operation is about and who asked for it, as {@link OperationListener}s are
 * told: values only, no Kubernetes types.
 *
 * @param id the run's id, as its events' streams give it
 * @param kind wake, idle or restart
 * @param host the host a wake was asked for; the app's host for an idle or a restart,
 * when it has one
 * @param workload the workload it changes; {@code null} while a wake has not found its
 * app, and for a wake that found none
 * @param requestedBy a token's name, {@code schedule}, or {@link #REQUEST} for a wake a
 * request for the app started
 * @param reason why, when the caller said (restarts)
 */
public record OperationSubject(String id, OperationKind kind, @Nullable String host, @Nullable Regarding workload,
		String requestedBy, @Nullable String reason) {

	/** Who asks for a wake that a request for the app's host started. */
	public static final String REQUEST = "request";

}
