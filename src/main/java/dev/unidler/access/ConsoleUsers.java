package dev.unidler.access;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The people an authenticating proxy signs in to the console, and what each may do, from
 * the users file in the tokens file's terms:
 *
 * <pre>
 * users:
 *   - name: alice@example.com      # as the proxy's header names the user
 *     operations: [wake, idle, restart]
 *     apps:
 *       - namespace: analytics
 *   - name: "*"                    # everyone else the proxy lets through
 *     operations: [wake]
 *     apps:
 *       - host: "*.apps.example.com"
 * </pre>
 *
 * Read at start-up and again when it changes; a changed file that cannot be used is
 * logged and the last good users stay.
 */
@Component
public final class ConsoleUsers implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(ConsoleUsers.class);

	private static final String EVERYONE = "*";

	private final WatchedFile watched;

	private volatile Map<String, Caller> users;

	ConsoleUsers(ConsoleProperties console, AccessProperties access) {
		Path file = console.usersFile();
		this.watched = new WatchedFile(file, access.reload());
		this.users = (file != null && this.watched.exists()) ? read(file) : Map.of();
		if (console.userHeader() != null) {
			logger.info("Console users signed in by the header {}: {} entr{} from {}", console.userHeader(),
					this.users.size(), (this.users.size() == 1) ? "y" : "ies", file);
		}
	}

	/**
	 * What a signed-in user may do.
	 * @param user the user, as the proxy names them
	 * @return the caller, or empty for a user the file does not know
	 */
	public Optional<Caller> find(String user) {
		Map<String, Caller> all = this.users;
		return Optional.ofNullable(all.get(user))
			.or(() -> Optional.ofNullable(all.get(EVERYONE)).map((everyone) -> everyone.as(user)));
	}

	static Map<String, Caller> read(Path file) {
		List<?> entries = YamlFiles.list(file, "users", " of {name, operations, apps}");
		Map<String, Caller> users = new HashMap<>();
		for (int i = 0; i < entries.size(); i++) {
			if (!(entries.get(i) instanceof Map<?, ?> map)) {
				throw new AccessFileException(file, "user " + (i + 1) + " must be a map");
			}
			@Nullable String name = TokenFile.text(map.get("name"));
			if (name == null || name.isBlank()) {
				throw new AccessFileException(file, "user " + (i + 1) + " needs a 'name'");
			}
			String where = "user '" + name + "'";
			if (users.putIfAbsent(name.strip(), TokenFile.caller(file, where, name.strip(), map)) != null) {
				throw new AccessFileException(file, where + " is listed twice");
			}
		}
		return Map.copyOf(users);
	}

	@Override
	public void start() {
		this.watched.start((changed) -> {
			try {
				this.users = read(changed);
				logger.info("Reloaded {} console user entries from {}", this.users.size(), changed);
			}
			catch (AccessFileException ex) {
				logger.warn("Kept the console users read before: {}", ex.getMessage());
			}
		});
	}

	@Override
	public void stop() {
		this.watched.stop();
	}

	@Override
	public boolean isRunning() {
		return this.watched.isRunning();
	}

}
