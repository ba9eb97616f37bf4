package dev.unidler.slack;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * A slash command as Slack posts it ({@code application/x-www-form-urlencoded}), read
 * only once its signature has been verified.
 *
 * @param team the workspace's id ({@code team_id})
 * @param user the user's id ({@code user_id})
 * @param text what the user typed after the command
 * @param responseUrl where to post progress and the outcome
 */
record SlashCommand(String team, String user, String text, String responseUrl) {

	/** Slack's ids: a capital letter and capitals and digits. */
	private static final Pattern ID = Pattern.compile("[A-Z][A-Z0-9]{1,30}");

	/**
	 * The command a form names.
	 * @param body the form, as received
	 * @return the command, or empty when a field is missing or not as Slack sends it
	 */
	static Optional<SlashCommand> parse(byte[] body) {
		Map<String, String> fields = new HashMap<>();
		try {
			for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
				int equals = pair.indexOf('=');
				if (equals > 0) {
					fields.putIfAbsent(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
							URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
				}
			}
		}
		catch (IllegalArgumentException ex) {
			return Optional.empty();
		}
		String team = fields.get("team_id");
		String user = fields.get("user_id");
		String responseUrl = fields.get("response_url");
		if (team == null || user == null || responseUrl == null || !ID.matcher(team).matches()
				|| !ID.matcher(user).matches()) {
			return Optional.empty();
		}
		return Optional.of(new SlashCommand(team, user, fields.getOrDefault("text", ""), responseUrl));
	}

	/** The words of the text: what to do, to what, and why. */
	Words words() {
		String[] parts = this.text.strip().split("\\s+", 3);
		String verb = parts[0].toLowerCase(Locale.ROOT);
		String target = (parts.length > 1) ? unlink(parts[1]) : null;
		String reason = (parts.length > 2) ? unescape(parts[2]).strip() : null;
		return new Words(verb, target, reason);
	}

	/**
	 * A host as Slack may have turned it into a link
	 * ({@code <http://a.example.com|a.example.com>}), or typed with a scheme and a path:
	 * the bare host. Anything else as it is.
	 */
	static String unlink(String word) {
		String bare = word;
		if (bare.startsWith("<") && bare.endsWith(">")) {
			bare = bare.substring(1, bare.length() - 1);
			int bar = bare.indexOf('|');
			if (bar >= 0) {
				bare = bare.substring(bar + 1);
			}
		}
		bare = unescape(bare);
		int scheme = bare.indexOf("://");
		if (scheme >= 0) {
			bare = bare.substring(scheme + 3);
			int path = bare.indexOf('/');
			if (path >= 0) {
				bare = bare.substring(0, path);
			}
		}
		return bare;
	}

	/** Slack escapes these three in the text it sends. */
	private static String unescape(String text) {
		return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
	}

	/**
	 * The words of a command's text.
	 *
	 * @param verb {@code wake}, {@code idle}, {@code restart}, {@code status}, or
	 * anything the user typed
	 * @param target a host, or {@code namespace/name}
	 * @param reason the rest, for a restart
	 */
	record Words(String verb, @Nullable String target, @Nullable String reason) {

	}

}
