package dev.unidler.slack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Optional;

import dev.unidler.access.Caller;
import dev.unidler.access.ChatUsers;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

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

	private final SlackProperties properties;

	private volatile ChatUsers users;

	private volatile @Nullable FileTime readAt;

	private volatile @Nullable Disposable watching;

	SlackUsers(SlackProperties properties) {
		this.properties = properties;
		this.file = properties.usersFile();
		this.readAt = modified(this.file);
		if (this.file == null || this.readAt == null) {
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
		else if (this.readAt == null) {
			logger.warn("No Slack users file at {} yet: every Slack command is refused until it appears", this.file);
		}
		else {
			logger.info("{} Slack user entries from {}", this.users.size(), this.file);
		}
	}

	@Override
	public void start() {
		Path watched = this.file;
		if (watched == null) {
			return;
		}
		// Off the event loop: looking at a file is I/O.
		this.watching = Flux.interval(this.properties.reload(), this.properties.reload(), Schedulers.boundedElastic())
			.subscribe((tick) -> reloadIfChanged(watched));
	}

	private void reloadIfChanged(Path watched) {
		FileTime now = modified(watched);
		if (now == null || now.equals(this.readAt)) {
			return;
		}
		this.readAt = now;
		try {
			this.users = ChatUsers.read(watched);
			logger.info("Reloaded {} Slack user entries from {}", this.users.size(), watched);
		}
		catch (RuntimeException ex) {
			logger.warn("Kept the Slack users read before: {}", ex.getMessage());
		}
	}

	private static @Nullable FileTime modified(@Nullable Path file) {
		if (file == null) {
			return null;
		}
		try {
			return Files.getLastModifiedTime(file.toRealPath());
		}
		catch (IOException ex) {
			return null;
		}
	}

	@Override
	public void stop() {
		Disposable running = this.watching;
		if (running != null) {
			running.dispose();
		}
		this.watching = null;
	}

	@Override
	public boolean isRunning() {
		return this.watching != null;
	}

}
