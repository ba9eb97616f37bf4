package dev.unidler.access;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a tokens file (and the entries of the chat users file, which name what a user may
 * do the same way):
 *
 * <pre>
 * tokens:
 *   - name: data-pipeline          # in logs and Events, never the token
 *     sha256: "&lt;hex&gt;"             # of the token; or token: "&lt;plain&gt;"
 *     operations: [restart]        # wake, idle, restart
 *     apps:                        # any entry admits
 *       - namespace: analytics
 *       - name: "reports/dash-*"
 *       - host: "*.apps.example.com"
 * </pre>
 */
final class TokenFile {

	private TokenFile() {
	}

	static List<Token> read(Path file) {
		List<?> entries = YamlFiles.list(file, "tokens", "");
		List<Token> tokens = new ArrayList<>();
		Set<String> names = new HashSet<>();
		for (int i = 0; i < entries.size(); i++) {
			Token token = token(file, i, entries.get(i));
			if (!names.add(token.caller().name())) {
				throw new AccessFileException(file,
						"token " + (i + 1) + ": the name '" + token.caller().name() + "' is used twice");
			}
			tokens.add(token);
		}
		return List.copyOf(tokens);
	}

	private static Token token(Path file, int index, Object entry) {
		String where = "token " + (index + 1);
		if (!(entry instanceof Map<?, ?> map)) {
			throw new AccessFileException(file, where + " must be a map");
		}
		String name = text(map.get("name"));
		if (name == null || name.isBlank()) {
			throw new AccessFileException(file, where + " needs a 'name'");
		}
		where = "token '" + name + "'";
		byte[] digest = digest(file, where, map);
		return new Token(digest, caller(file, where, name, map));
	}

	/**
	 * The caller an entry describes: its {@code operations} and {@code apps}, as tokens
	 * and chat users name them alike.
	 * @param file the file, for messages
	 * @param where the entry, for messages
	 * @param name the caller's name
	 * @param map the entry
	 * @return the caller
	 */
	static Caller caller(Path file, String where, String name, Map<?, ?> map) {
		Set<Action> actions = EnumSet.noneOf(Action.class);
		if (!(map.get("operations") instanceof List<?> operations) || operations.isEmpty()) {
			throw new AccessFileException(file, where + " needs 'operations' (wake, idle, restart)");
		}
		for (Object operation : operations) {
			actions.add(Action.named(String.valueOf(operation))
				.orElseThrow(() -> new AccessFileException(file,
						where + ": unknown operation '" + operation + "' (wake, idle, restart)")));
		}
		if (!(map.get("apps") instanceof List<?> apps) || apps.isEmpty()) {
			throw new AccessFileException(file, where + " needs 'apps' (namespace, name or host entries)");
		}
		List<Grant> grants = new ArrayList<>();
		for (Object app : apps) {
			grants.add(grant(file, where, app));
		}
		return new Caller(name, actions, grants);
	}

	private static byte[] digest(Path file, String where, Map<?, ?> map) {
		String sha256 = text(map.get("sha256"));
		String plain = text(map.get("token"));
		if ((sha256 == null) == (plain == null)) {
			throw new AccessFileException(file, where + " needs exactly one of 'sha256' and 'token'");
		}
		if (plain != null) {
			if (plain.length() < 16) {
				throw new AccessFileException(file, where + ": a token must have at least 16 characters");
			}
			return sha256(plain);
		}
		if (!sha256.matches("[0-9a-fA-F]{64}")) {
			throw new AccessFileException(file, where + ": 'sha256' must be 64 hexadecimal digits");
		}
		return HexFormat.of().parseHex(sha256.toLowerCase(Locale.ROOT));
	}

	private static Grant grant(Path file, String where, Object app) {
		if (!(app instanceof Map<?, ?> map) || map.size() != 1) {
			throw new AccessFileException(file, where + ": each of 'apps' is one of namespace, name or host");
		}
		String namespace = text(map.get("namespace"));
		String name = text(map.get("name"));
		String host = text(map.get("host"));
		if (namespace != null) {
			return new Grant(namespace, null, null);
		}
		if (name != null && name.contains("/")) {
			return new Grant(null, Grant.glob(name), null);
		}
		if (host != null) {
			return new Grant(null, null, Grant.glob(host.toLowerCase(Locale.ROOT)));
		}
		throw new AccessFileException(file,
				where + ": each of 'apps' is namespace: <ns>, name: <ns>/<name> or host: <host>");
	}

	static byte[] sha256(String token) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is part of every JDK", ex);
		}
	}

	static String text(Object value) {
		return (value != null) ? value.toString() : null;
	}

	/**
	 * One token: the digest it is known by, and who presents it.
	 *
	 * @param digest SHA-256 of the token
	 * @param caller the caller it authenticates
	 */
	record Token(byte[] digest, Caller caller) {

	}

}
