package dev.unidler.web;

import java.util.Locale;

import dev.unidler.operation.OperationEvent;
import org.jspecify.annotations.Nullable;

/**
 * The JSON {@code data} of one Server-Sent Event.
 *
 * @param wake the wake it belongs to
 * @param sequence its position in the wake
 * @param step the step it concerns
 * @param state {@code running}, {@code done} or {@code failed}
 * @param message a short sentence for people
 * @param available available replicas, while the app starts
 * @param desired desired replicas, while the app starts
 * @param reason why the wake failed, on {@code failure} only
 * @param elapsedMillis time since the wake began
 */
record EventData(String wake, long sequence, String step, String state, String message, @Nullable Integer available,
		@Nullable Integer desired, @Nullable String reason, long elapsedMillis) {

	static EventData of(String wake, OperationEvent event) {
		OperationEvent.Replicas replicas = event.replicas();
		return new EventData(wake, event.sequence(), event.step(), lower(event.state().name()), event.message(),
				(replicas != null) ? replicas.available() : null, (replicas != null) ? replicas.desired() : null,
				(event.failure() != null) ? lower(event.failure().name()) : null, event.elapsedMillis());
	}

	/** Event names: {@code error} is avoided, EventSource keeps it for its own errors. */
	static String eventName(OperationEvent event) {
		return lower(event.kind().name());
	}

	private static String lower(String name) {
		return name.toLowerCase(Locale.ROOT).replace('_', '-');
	}

}
