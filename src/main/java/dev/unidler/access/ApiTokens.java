package dev.unidler.access;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The API tokens, from the tokens file: read at start-up (a file that cannot be used
 * stops the start, saying why), and again whenever it changes, as a mounted Secret does
 * in place. A changed file that cannot be used is logged and the last good tokens stay.
 *
 * <p>
 * A token is known by its SHA-256 only. A presented token is hashed and compared with
 * every known digest in constant time, without stopping at a match, so the time taken
 * says nothing about which token, or how much of one, was right.
 */
@Component
public final class ApiTokens implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(ApiTokens.class);

	private final @Nullable Path file;

	private final WatchedFile watched;

	private volatile List<TokenFile.Token> tokens;

	ApiTokens(AccessProperties properties) {
		this.file = properties.tokensFile();
		this.watched = new WatchedFile(this.file, properties.reload());
		if (this.file == null) {
			this.tokens = List.of();
			logger.info("No API tokens configured (unidler.access.tokens-file): the admin API refuses every call");
		}
		else if (!this.watched.exists()) {
			// An optional Secret not created yet: taken up as soon as it appears.
			this.tokens = List.of();
			logger.warn("No API tokens file at {} yet: the admin API refuses every call until it appears", this.file);
		}
		else {
			this.tokens = TokenFile.read(this.file);
			logger.info("{} API token(s) from {}", this.tokens.size(), this.file);
		}
	}

	/**
	 * The caller a token authenticates.
	 * @param presented the token as presented
	 * @return its caller, or empty
	 */
	public Optional<Caller> authenticate(String presented) {
		byte[] digest = TokenFile.sha256(presented);
		Caller found = null;
		for (TokenFile.Token token : this.tokens) {
			if (MessageDigest.isEqual(token.digest(), digest)) {
				found = token.caller();
			}
		}
		return Optional.ofNullable(found);
	}

	@Override
	public void start() {
		this.watched.start(this::reload);
	}

	/** Looks once whether the file changed, as the periodic look does. */
	void reloadIfChanged() {
		this.watched.reloadIfChanged(this::reload);
	}

	private void reload(Path changed) {
		try {
			this.tokens = TokenFile.read(changed);
			logger.info("Reloaded {} API token(s) from {}", this.tokens.size(), changed);
		}
		catch (AccessFileException ex) {
			logger.warn("Kept the API tokens read before: {}", ex.getMessage());
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
