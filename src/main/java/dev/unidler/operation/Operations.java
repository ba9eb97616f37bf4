package dev.unidler.operation;

import java.util.concurrent.ThreadLocalRandom;

/**
 * What every registry of operations shares.
 */
public final class Operations {

	private Operations() {
	}

	/**
	 * A short id for a run, unlikely to repeat across replicas. Not
	 * {@code UUID.randomUUID()}: its SecureRandom reads from a file, which blocks the
	 * event loop that asks for an operation.
	 */
	public static String newId() {
		return Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE).substring(0, 12);
	}

}
