package dev.unidler.slack;

import java.nio.file.Path;
import java.util.Optional;

import dev.unidler.access.Caller;
import dev.unidler.access.ChatUsers;
import dev.unidler.access.WatchedFile;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * The Slack users and what each may do, from the users file: read at start-up (a file
 * that cannot be used stops the start, saying why), and again whenever it changes, as a
 * mounted ConfigMap or Secret does in place. A changed file that cannot be used is logged
 * and the last good users stay.
 */
final class SlackUsers implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(SlackUsers.class);

	private final @Nullable Path file;

	private final WatchedFile watched;

	private volatile ChatUsers users;

	SlackUsers(SlackProperties properties) {
		this.file = properties.usersFile();
		this.watched = new WatchedFile(this.file, properties.reload());
		if (this.file == null || !this.watched.exists()) {
			this.users = ChatUsers.none();
		}
		else {
			this.users = ChatUsers.read(this.file);
		}
	}

	/**
	 * Who a Slack user is, and what they may do; empty for a user the file does not list.
	 */
	Optional<Caller> find(String team, String user) {
		return this.users.find(team, user);
	}

	/** Says what was read, once commands are known to be on. */
	void describe() {
		if (this.file == null) {
			logger.info("No Slack users file (unidler.slack.users-file): every Slack command is refused");
		}
		else if (!this.watched.exists()) {
			logger.warn("No Slack users file at {} yet: every Slack command is refused until it appears", this.file);
		}
		else {
			logger.info("{} Slack user entries from {}", this.users.size(), this.file);
		}
	}

	@Override
	public void start() {
		this.watched.start(this::reload);
	}

	private void reload(Path changed) {
		try {
			this.users = ChatUsers.read(changed);
			logger.info("Reloaded {} Slack user entries from {}", this.users.size(), changed);
		}
		catch (RuntimeException ex) {
			logger.warn("Kept the Slack users read before: {}", ex.getMessage());
		}
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
