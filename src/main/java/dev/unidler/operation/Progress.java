package dev.unidler.operation;

import dev.unidler.operation.OperationEvent.Replicas;
import org.jspecify.annotations.Nullable;

/**
 * What a step reports while it runs.
 *
 * @param message a short sentence for people
 * @param replicas replica counts, while the app starts
 */
public record Progress(String message, @Nullable Replicas replicas) {

	public static Progress of(String message) {
		return new Progress(message, null);
	}

}
