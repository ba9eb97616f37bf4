package dev.unidler.access;

import java.nio.file.Path;

/**
 * A tokens or allowlist file that cannot be used as it is. The message names the file and
 * what is wrong with it, never a token.
 */
final class AccessFileException extends RuntimeException {

	private final Path file;

	AccessFileException(Path file, String problem, Throwable cause) {
		super(file + ": " + problem, cause);
		this.file = file;
	}

	AccessFileException(Path file, String problem) {
		super(file + ": " + problem);
		this.file = file;
	}

	Path file() {
		return this.file;
	}

}
