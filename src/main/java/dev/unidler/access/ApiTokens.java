package dev.unidler.access;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

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

	private final AccessProperties properties;

	private volatile List<TokenFile.Token> tokens;

	private volatile @Nullable FileTime readAt;

	private volatile @Nullable Disposable watching;

	ApiTokens(AccessProperties properties) {
		this.properties = properties;
		this.file = properties.tokensFile();
		this.readAt = modified(this.file);
		if (this.file == null) {
			this.tokens = List.of();
			logger.info("No API tokens configured (unidler.access.tokens-file): the admin API refuses every call");
		}
		else if (this.readAt == null) {
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
		Path watched = this.file;
		if (watched == null) {
			return;
		}
		// Off the event loop: looking at a file is I/O.
		this.watching = Flux.interval(this.properties.reload(), this.properties.reload(), Schedulers.boundedElastic())
			.subscribe((tick) -> reloadIfChanged(watched));
	}

	void reloadIfChanged(Path watched) {
		FileTime now = modified(watched);
		if (now == null || now.equals(this.readAt)) {
			return;
		}
		this.readAt = now;
		try {
			this.tokens = TokenFile.read(watched);
			logger.info("Reloaded {} API token(s) from {}", this.tokens.size(), watched);
		}
		catch (AccessFileException ex) {
			logger.warn("Kept the API tokens read before: {}", ex.getMessage());
		}
	}

	private static @Nullable FileTime modified(@Nullable Path file) {
		if (file == null) {
			return null;
		}
		try {
			// Through the link a mounted Secret swaps.
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
