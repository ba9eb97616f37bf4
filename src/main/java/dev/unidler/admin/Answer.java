package dev.unidler.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * A JSON answer of the admin API, in the restarter's shape: {@code message} on success,
 * {@code error} otherwise; with the run's outcome when the caller waited for it.
 *
 * @param message what was done
 * @param error what went wrong, safe to show
 * @param status {@code accepted}, {@code queued}, {@code done}, {@code rolling} or
 * {@code failed}
 * @param reason why it failed, as events name it
 * @param operation the run that covers the request, to follow or find in the logs
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record Answer(@Nullable String message, @Nullable String error, @Nullable String status, @Nullable String reason,
		@Nullable String operation) {

	static Answer message(String message) {
		return new Answer(message, null, null, null, null);
	}

	static Answer error(String error) {
		return new Answer(null, error, null, null, null);
	}

}
