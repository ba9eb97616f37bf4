package dev.unidler.wake;

import dev.unidler.wake.WakeEvent.Replicas;

import org.jspecify.annotations.Nullable;

/**
 * What a step reports while it runs.
 *
 * @param message a short sentence for people
 * @param replicas replica counts, while the app starts
 */
record Progress(String message, @Nullable Replicas replicas) {

	static Progress of(String message) {
		return new Progress(message, null);
	}

}
