package dev.unidler.slack;

import java.util.Locale;

import dev.unidler.access.Action;
import dev.unidler.operation.OperationEvent;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The messages of slash commands, as Slack's JSON. What the command asked and how it
 * ended go to the channel ({@code in_channel}), so everyone there sees who changed what;
 * check-ins, refusals and status lists go to the user alone ({@code ephemeral}). Values a
 * user typed or the cluster holds are escaped, so they cannot mention a channel or forge
 * a link.
 */
final class SlackMessages {

	static final String IN_CHANNEL = "in_channel";

	static final String EPHEMERAL = "ephemeral";

	private final JsonMapper json;

	SlackMessages(JsonMapper json) {
		this.json = json;
	}

	/** A message to the user alone. */
	JsonNode toUser(String text) {
		return message(EPHEMERAL, text);
	}

	/** A message to the channel. */
	JsonNode toChannel(String text) {
		return message(IN_CHANNEL, text);
	}

	private JsonNode message(String responseType, String text) {
		ObjectNode message = this.json.createObjectNode();
		message.put("response_type", responseType);
		message.put("text", text);
		// A new message each time, not a replacement of the last one.
		message.put("replace_original", false);
		return message;
	}

	/** The acknowledgement: who asked what, the run that covers it, where it stands. */
	static String acknowledged(String user, Action action, String app, @Nullable String reason, String operation,
			@Nullable OperationEvent state) {
		StringBuilder text = new StringBuilder("<@").append(user)
			.append("> asked to ")
			.append(name(action))
			.append(' ')
			.append(code(app));
		if (reason != null && !reason.isBlank()) {
			text.append(" (").append(escape(reason)).append(')');
		}
		text.append(" — operation ").append(code(operation));
		if (state != null) {
			text.append(": ").append(escape(state.message()));
		}
		return text.toString();
	}

	/** A check-in: the latest state. */
	static String checkIn(Action action, String app, OperationEvent state) {
		return gerund(action) + " " + code(app) + ": " + escape(state.message());
	}

	/** How it ended. */
	static String outcome(Action action, String app, String operation, OperationEvent end) {
		String took = String.format(Locale.ROOT, "%.1f s", end.elapsedMillis() / 1000.0);
		if (end.kind() == OperationEvent.Kind.READY) {
			return ":white_check_mark: " + past(action) + " " + code(app) + ": " + escape(end.message()) + " (" + took
					+ ", operation " + code(operation) + ")";
		}
		String reason = (end.failure() != null) ? end.failure().name().toLowerCase(Locale.ROOT).replace('_', '-')
				: "failed";
		return ":x: The " + name(action) + " of " + code(app) + " failed (" + reason + "): " + escape(end.message())
				+ " (" + took + ", operation " + code(operation) + ")";
	}

	/** This instance stopped following the run before it ended. */
	static String stopped(Action action, String app, String operation) {
		return ":warning: The unidler stopped following the " + name(action) + " of " + code(app) + " (operation "
				+ code(operation) + ") while shutting down; the same command again finishes it.";
	}

	/** The run outlived the following limit. */
	static String stillRunning(Action action, String app, String operation) {
		return ":hourglass: The " + name(action) + " of " + code(app) + " (operation " + code(operation)
				+ ") still runs; it goes on, but this command posts nothing more.";
	}

	static String name(Action action) {
		return action.name().toLowerCase(Locale.ROOT);
	}

	private static String gerund(Action action) {
		return switch (action) {
			case WAKE -> "Waking";
			case IDLE -> "Idling";
			case RESTART -> "Restarting";
		};
	}

	private static String past(Action action) {
		return switch (action) {
			case WAKE -> "Woke";
			case IDLE -> "Idled";
			case RESTART -> "Restarted";
		};
	}

	/** Inline code, escaped; backquotes in the value cannot end it. */
	static String code(String value) {
		return "`" + escape(value).replace('`', '\'') + "`";
	}

	/** What Slack asks to be escaped in message text. */
	static String escape(String text) {
		return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
	}

}
