package dev.unidler.notify;

import java.nio.file.Path;

/**
 * A targets file that cannot be used as it is. The message names the file, the target (by
 * its name or place) and what is wrong; never a secret nor a URL, which may carry one.
 */
final class WebhookFileException extends RuntimeException {

	WebhookFileException(Path file, String problem) {
		super(file + ": " + problem);
	}

	WebhookFileException(Path file, String problem, Throwable cause) {
		super(file + ": " + problem, cause);
	}

}
