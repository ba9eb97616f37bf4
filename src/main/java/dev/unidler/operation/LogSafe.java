package dev.unidler.operation;

import org.jspecify.annotations.Nullable;

/**
 * Makes values that come from the cluster or from a request safe to put in a log line:
 * line breaks and other control characters are escaped, so that a pod status message or a
 * name cannot end the line and forge the next one, and very long values are cut.
 */
public final class LogSafe {

	private static final int LIMIT = 1_000;

	private static final int MAX_CAUSES = 5;

	private LogSafe() {
	}

	/**
	 * The value as one line: {@code \n}, {@code \r}, {@code \t} and {@code \\} escaped
	 * like Java, every other control or line-separator character as
	 * {@code \}{@code uXXXX}.
	 */
	public static String of(@Nullable Object value) {
		String text = String.valueOf(value);
		StringBuilder safe = new StringBuilder(Math.min(text.length(), LIMIT) + 16);
		for (int i = 0; i < text.length(); i++) {
			if (safe.length() >= LIMIT) {
				return safe.append("…").toString();
			}
			char c = text.charAt(i);
			switch (c) {
				case '\n' -> safe.append("\\n");
				case '\r' -> safe.append("\\r");
				case '\t' -> safe.append("\\t");
				case '\\' -> safe.append("\\\\");
				default -> {
					if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
						safe.append(String.format("\\u%04x", (int) c));
					}
					else {
						safe.append(c);
					}
				}
			}
		}
		return safe.toString();
	}

	/**
	 * A failure and its causes, on one line: {@code message; caused by Type: message}.
	 */
	public static String cause(Throwable error) {
		StringBuilder chain = new StringBuilder(of(error.getMessage()));
		Throwable cause = error.getCause();
		for (int depth = 0; cause != null && cause != error && depth < MAX_CAUSES; depth++) {
			chain.append("; caused by ").append(cause.getClass().getSimpleName());
			if (cause.getMessage() != null) {
				chain.append(": ").append(of(cause.getMessage()));
			}
			error = cause;
			cause = cause.getCause();
		}
		return chain.toString();
	}

}
