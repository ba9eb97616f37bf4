package dev.unidler.admin;

import java.util.Locale;

import dev.unidler.operation.FailureReason;
import dev.unidler.operation.OperationFailure;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;

/**
 * How a failed operation answers on the admin API, in the restarter's words where it had
 * them.
 */
final class RestartFailures {

	static final String NOT_FOUND = "Application not found.";

	static final String TOO_MANY = "Too many Deployments found for application, can't process restart request.";

	private RestartFailures() {
	}

	static HttpStatus status(@Nullable FailureReason reason) {
		if (reason == null) {
			return HttpStatus.INTERNAL_SERVER_ERROR;
		}
		return switch (reason) {
			case UNKNOWN_APP -> HttpStatus.NOT_FOUND;
			case AMBIGUOUS_APP, APP_IDLED, BUSY, NOT_IDLED -> HttpStatus.CONFLICT;
			case APP_CANNOT_START, INVALID_APP -> HttpStatus.UNPROCESSABLE_ENTITY;
			case DEADLINE -> HttpStatus.GATEWAY_TIMEOUT;
			case SHUTTING_DOWN -> HttpStatus.SERVICE_UNAVAILABLE;
			default -> HttpStatus.INTERNAL_SERVER_ERROR;
		};
	}

	static String message(OperationFailure failure) {
		return switch (failure.reason()) {
			case UNKNOWN_APP -> NOT_FOUND;
			case AMBIGUOUS_APP -> TOO_MANY;
			default -> failure.getMessage();
		};
	}

	static @Nullable String name(@Nullable FailureReason reason) {
		return (reason != null) ? reason.name().toLowerCase(Locale.ROOT).replace('_', '-') : null;
	}

}
