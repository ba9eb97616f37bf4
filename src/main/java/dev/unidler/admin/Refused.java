package dev.unidler.admin;

import org.springframework.http.HttpStatus;

/** A refusal decided by the admin API before any operation, with its status. */
final class Refused extends RuntimeException {

	private final HttpStatus status;

	Refused(HttpStatus status, String message) {
		super(message, null, false, false);
		this.status = status;
	}

	static Refused notFound() {
		return new Refused(HttpStatus.NOT_FOUND, RestartFailures.NOT_FOUND);
	}

	HttpStatus status() {
		return this.status;
	}

}
