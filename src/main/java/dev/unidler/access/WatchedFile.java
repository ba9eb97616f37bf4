package dev.unidler.access;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * A file read again whenever it changes, as a mounted Secret or ConfigMap does in place
 * (Kubernetes swaps a link, so the time looked at is the link target's). The API tokens
 * and the chat users are both kept this way. Looking is I/O, so it runs off the event
 * loop, every {@code every}.
 */
public final class WatchedFile {

	private final @Nullable Path file;

	private final Duration every;

	private volatile @Nullable FileTime readAt;

	private volatile @Nullable Disposable watching;

	/**
	 * Notes the file's modification time now: the caller reads it at once.
	 * @param file the file, or {@code null} when none is configured
	 * @param every how often to look whether it changed
	 */
	public WatchedFile(@Nullable Path file, Duration every) {
		this.file = file;
		this.every = every;
		this.readAt = modified(file);
	}

	/** The file, or {@code null} when none is configured. */
	public @Nullable Path path() {
		return this.file;
	}

	/** Whether the file existed when last looked at. */
	public boolean exists() {
		return this.readAt != null;
	}

	/**
	 * Starts looking, every {@code every}; does nothing without a file.
	 * @param reload reads the file, when it changed
	 */
	public void start(Consumer<Path> reload) {
		if (this.file == null) {
			return;
		}
		this.watching = Flux.interval(this.every, this.every, Schedulers.boundedElastic())
			.subscribe((tick) -> reloadIfChanged(reload));
	}

	/**
	 * Looks once: reads the file again if its modification time changed.
	 * @param reload reads the file; it keeps what it had when the file cannot be used
	 */
	public void reloadIfChanged(Consumer<Path> reload) {
		Path watched = this.file;
		FileTime now = modified(watched);
		if (watched == null || now == null || now.equals(this.readAt)) {
			return;
		}
		this.readAt = now;
		reload.accept(watched);
	}

	public void stop() {
		Disposable running = this.watching;
		if (running != null) {
			running.dispose();
		}
		this.watching = null;
	}

	public boolean isRunning() {
		return this.watching != null;
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

}
