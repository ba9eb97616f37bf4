package dev.unidler.access;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Chat users and what each may do, from a users file in the tokens file's terms:
 *
 * <pre>
 * users:
 *   - name: alice                  # in logs and Events
 *     team: T0123ABCD              # the workspace (Slack's team_id)
 *     user: U0456EFGH              # Slack's user_id; "*" for everyone in the team
 *     operations: [wake, restart]  # wake, idle, restart
 *     apps:                        # any entry admits
 *       - namespace: analytics
 *       - name: "reports/dash-*"
 *       - host: "*.apps.example.com"
 * </pre>
 *
 * A user's own entry wins over the team's {@code "*"} entry; apps must still opt in to
 * what is asked of them, as for tokens.
 */
public final class ChatUsers {

	private static final String EVERYONE = "*";

	private final Map<String, Caller> callers;

	private ChatUsers(Map<String, Caller> callers) {
		this.callers = Map.copyOf(callers);
	}

	/** Nobody. */
	public static ChatUsers none() {
		return new ChatUsers(Map.of());
	}

	/**
	 * Reads a users file.
	 * @param file the file
	 * @return its users
	 * @throws RuntimeException saying what is wrong with the file (never a secret: the
	 * file holds none)
	 */
	public static ChatUsers read(Path file) {
		List<?> entries = YamlFiles.list(file, "users", " of {name, team, user, operations, apps}");
		Map<String, Caller> callers = new HashMap<>();
		for (int i = 0; i < entries.size(); i++) {
			String where = "user " + (i + 1);
			if (!(entries.get(i) instanceof Map<?, ?> map)) {
				throw new AccessFileException(file, where + " must be a map");
			}
			String name = TokenFile.text(map.get("name"));
			String team = TokenFile.text(map.get("team"));
			String user = TokenFile.text(map.get("user"));
			if (name == null || name.isBlank() || team == null || team.isBlank() || user == null || user.isBlank()) {
				throw new AccessFileException(file, where + " needs 'name', 'team' and 'user'");
			}
			where = "user '" + name + "'";
			Caller caller = TokenFile.caller(file, where, name, map);
			if (callers.putIfAbsent(key(team.strip(), user.strip()), caller) != null) {
				throw new AccessFileException(file, where + ": team " + team + ", user " + user + " is listed twice");
			}
		}
		return new ChatUsers(callers);
	}

	/**
	 * Who a chat user is, and what they may do.
	 * @param team the workspace's id
	 * @param user the user's id
	 * @return the caller, or empty for a user the file does not know
	 */
	public Optional<Caller> find(String team, String user) {
		return Optional.ofNullable(this.callers.get(key(team, user)))
			.or(() -> Optional.ofNullable(this.callers.get(key(team, EVERYONE))));
	}

	/** How many entries the file has. */
	public int size() {
		return this.callers.size();
	}

	private static String key(String team, String user) {
		return team + "/" + user;
	}

}
