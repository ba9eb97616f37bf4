package dev.unidler.notify;

import java.net.URI;
import java.util.Locale;
import java.util.Set;

import dev.unidler.operation.OperationKind;
import org.jspecify.annotations.Nullable;

/**
 * One receiver of webhooks, as the targets file names it.
 *
 * @param name its name in logs and metrics (never its URL, which may be a secret itself)
 * @param url where deliveries are posted, {@code http} or {@code https}
 * @param secret the key each delivery is signed with; {@code null} only for the Slack
 * format, whose receiver checks no signature
 * @param format the body's form
 * @param events which of an operation's events it wants
 * @param kinds which operations it wants
 * @param outcomes which endings it wants, for {@link EventType#ENDED}
 */
record WebhookTarget(String name, URI url, byte @Nullable [] secret, Format format, Set<EventType> events,
		Set<OperationKind> kinds, Set<Outcome> outcomes) {

	/** Whether it wants this event of this operation. */
	boolean wants(EventType type, OperationKind kind, @Nullable Outcome outcome) {
		return this.events.contains(type) && this.kinds.contains(kind)
				&& (outcome == null || this.outcomes.contains(outcome));
	}

	@Override
	public String toString() {
		return "WebhookTarget[" + this.name + "]";
	}

	/** The body's form. */
	enum Format {

		/** The versioned JSON payload of the README. */
		JSON,

		/** A Slack incoming-webhook message: {@code {"text": ...}}. */
		SLACK

	}

	/** The events of an operation a target may want. */
	enum EventType {

		STARTED, STEP, ENDED;

		/** As the payload's {@code type} says it: {@code operation.started}. */
		String type() {
			return "operation." + id();
		}

		String id() {
			return name().toLowerCase(Locale.ROOT);
		}

	}

	/** How an operation ended. */
	enum Outcome {

		/** It did what was asked. */
		SUCCEEDED,

		/** It stopped without doing it; the failure reason says why. */
		FAILED,

		/**
		 * This instance shut down while it ran: the next request or command finishes it.
		 */
		ABANDONED;

		String id() {
			return name().toLowerCase(Locale.ROOT);
		}

	}

}
