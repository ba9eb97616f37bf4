package dev.unidler.operation;

import java.time.Duration;

/**
 * Durations the way people say them.
 */
public final class Durations {

	private Durations() {
	}

	public static String describe(Duration duration) {
		long seconds = duration.toSeconds();
		if (seconds < 60 || seconds % 60 != 0) {
			return seconds + ((seconds == 1) ? " second" : " seconds");
		}
		long minutes = seconds / 60;
		return minutes + ((minutes == 1) ? " minute" : " minutes");
	}

}
