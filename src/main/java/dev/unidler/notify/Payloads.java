package dev.unidler.notify;

import java.time.Instant;
import java.util.Locale;

import dev.unidler.app.AppEvent.Regarding;
import dev.unidler.notify.WebhookTarget.EventType;
import dev.unidler.notify.WebhookTarget.Outcome;
import dev.unidler.operation.OperationEvent;
import dev.unidler.operation.OperationSubject;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The bodies of deliveries, built as Jackson trees: the versioned JSON payload the README
 * documents, or a Slack incoming-webhook message.
 */
final class Payloads {

	/** The payload's version: a change that could break a receiver makes a new one. */
	static final int VERSION = 1;

	private final JsonMapper json;

	Payloads(JsonMapper json) {
		this.json = json;
	}

	/**
	 * The body of one delivery.
	 * @param id the delivery's id, its idempotency key
	 * @param happened what it tells of
	 * @param format the target's format
	 * @return the bytes to post, the same on every try
	 */
	byte[] body(String id, Happened happened, WebhookTarget.Format format) {
		ObjectNode body = (format == WebhookTarget.Format.SLACK) ? slack(happened) : json(id, happened);
		return this.json.writeValueAsBytes(body);
	}

	private ObjectNode json(String id, Happened happened) {
		OperationSubject subject = happened.subject();
		ObjectNode body = this.json.createObjectNode();
		body.put("version", VERSION);
		body.put("type", happened.type().type());
		body.put("id", id);
		body.put("timestamp", happened.at().toString());
		ObjectNode operation = body.putObject("operation");
		operation.put("id", subject.id());
		operation.put("kind", subject.kind().id());
		operation.put("host", subject.host());
		Regarding workload = subject.workload();
		if (workload == null) {
			operation.putNull("workload");
		}
		else {
			operation.putObject("workload")
				.put("kind", workload.kind())
				.put("namespace", workload.namespace())
				.put("name", workload.name());
		}
		operation.put("requestedBy", subject.requestedBy());
		operation.put("reason", subject.reason());
		OperationEvent event = happened.event();
		if (event != null) {
			ObjectNode step = body.putObject("event");
			step.put("sequence", event.sequence());
			step.put("step", event.step());
			step.put("state", event.state().name().toLowerCase(Locale.ROOT));
			step.put("message", event.message());
			if (event.replicas() != null) {
				step.putObject("replicas")
					.put("available", event.replicas().available())
					.put("desired", event.replicas().desired());
			}
			step.put("elapsedMillis", event.elapsedMillis());
		}
		if (happened.type() == EventType.ENDED) {
			Outcome outcome = happened.outcome();
			body.put("outcome", (outcome != null) ? outcome.id() : null);
			body.put("failureReason", failureReason(event));
			body.put("message", (event != null) ? event.message()
					: "The unidler stopped following it at shutdown; the next request or command finishes it");
			if (event != null) {
				body.put("durationMillis", event.elapsedMillis());
			}
			else {
				body.putNull("durationMillis");
			}
		}
		return body;
	}

	private ObjectNode slack(Happened happened) {
		OperationSubject subject = happened.subject();
		String what = "`" + app(subject) + "`";
		String who = " (asked by " + subject.requestedBy() + ((subject.reason() != null) ? ": " + subject.reason() : "")
				+ ", operation `" + subject.id() + "`)";
		OperationEvent event = happened.event();
		String text = switch (happened.type()) {
			case STARTED -> ":hourglass_flowing_sand: Started " + subject.kind().withArticle() + " of " + what + who;
			case STEP ->
				capitalized(subject.kind().id()) + " of " + what + ": " + ((event != null) ? event.message() : "");
			case ENDED -> ended(happened, what, who, event);
		};
		ObjectNode body = this.json.createObjectNode();
		// Slack reads &, < and > as markup: what people typed cannot mention or link.
		body.put("text", text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"));
		return body;
	}

	private static String ended(Happened happened, String what, String who, @Nullable OperationEvent event) {
		Outcome outcome = happened.outcome();
		if (outcome == Outcome.SUCCEEDED && event != null) {
			return ":white_check_mark: " + capitalized(happened.subject().kind().done()) + " " + what + " in "
					+ seconds(event.elapsedMillis()) + who;
		}
		if (outcome == Outcome.FAILED && event != null) {
			return ":x: The " + happened.subject().kind().id() + " of " + what + " failed (" + failureReason(event)
					+ "): " + event.message() + who;
		}
		return ":warning: The " + happened.subject().kind().id() + " of " + what
				+ " was left at shutdown; the next request or command finishes it" + who;
	}

	private static String app(OperationSubject subject) {
		Regarding workload = subject.workload();
		if (subject.host() != null) {
			return subject.host();
		}
		return (workload != null) ? workload.namespace() + "/" + workload.name() : "an unknown app";
	}

	private static @Nullable String failureReason(@Nullable OperationEvent event) {
		return (event != null && event.failure() != null)
				? event.failure().name().toLowerCase(Locale.ROOT).replace('_', '-') : null;
	}

	private static String capitalized(String word) {
		return Character.toUpperCase(word.charAt(0)) + word.substring(1);
	}

	private static String seconds(long millis) {
		return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
	}

	/**
	 * Something an operation did, as webhooks tell it.
	 *
	 * @param type started, a step, or ended
	 * @param subject what the operation is about
	 * @param event the event; {@code null} for a start and an abandonment
	 * @param outcome how it ended, for {@link EventType#ENDED}
	 * @param at when this instance heard of it
	 */
	record Happened(EventType type, OperationSubject subject, @Nullable OperationEvent event, @Nullable Outcome outcome,
			Instant at) {

	}

}
