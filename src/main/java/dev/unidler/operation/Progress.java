package dev.unidler.operation;

import dev.unidler.app.ClusterException;
import dev.unidler.operation.OperationEvent.Replicas;
import org.jspecify.annotations.Nullable;

/**
 * What a step reports while it runs.
 *
 * @param message a short sentence for people
 * @param replicas replica counts, while the app starts
 * @param outage why the step cannot see all it waits on: Kubernetes does not answer (the
 * step goes on waiting, and the run says it waits for the API)
 */
public record Progress(String message, @Nullable Replicas replicas, @Nullable ClusterException outage) {

	public Progress(String message, @Nullable Replicas replicas) {
		this(message, replicas, null);
	}

	public static Progress of(String message) {
		return new Progress(message, null);
	}

	/**
	 * A waiting step lost part of its view: it keeps waiting on what it still sees, and
	 * tries again at its next look.
	 * @param error what the API did (or did not) answer
	 * @return the progress that says so
	 */
	public static Progress waitingForApi(ClusterException error) {
		return new Progress(Outages.WAITING_MESSAGE, null, error);
	}

}
