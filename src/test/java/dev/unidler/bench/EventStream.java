package dev.unidler.bench;

import java.util.concurrent.atomic.AtomicInteger;

import reactor.core.Disposable;
import reactor.core.publisher.Sinks;

/**
 * One subscriber of {@code /events}, as a waiting page's {@code EventSource} is: it reads
 * the stream line by line and timestamps ({@link System#nanoTime()}) its first event and
 * the {@code ready} event the page waits for. Fed from an event loop: nothing here
 * blocks.
 */
final class EventStream {

	private final String host;

	private final StringBuilder line = new StringBuilder();

	private final AtomicInteger events = new AtomicInteger();

	private final AtomicInteger comments = new AtomicInteger();

	private final Sinks.Empty<Void> started = Sinks.empty();

	private volatile long firstEventNanos;

	private volatile long readyNanos;

	private volatile String failure;

	private volatile Throwable error;

	private volatile boolean ended;

	private volatile Disposable connection;

	EventStream(String host) {
		this.host = host;
	}

	String host() {
		return this.host;
	}

	void connection(Disposable connection) {
		this.connection = connection;
	}

	/** Completes at the first event or comment, or when the stream fails or ends. */
	Sinks.Empty<Void> started() {
		return this.started;
	}

	/** A chunk of the response body. */
	void feed(String chunk) {
		for (int i = 0; i < chunk.length(); i++) {
			char c = chunk.charAt(i);
			if (c == '\n') {
				line(this.line.toString());
				this.line.setLength(0);
			}
			else if (c != '\r') {
				this.line.append(c);
			}
		}
	}

	private void line(String line) {
		if (line.startsWith(":")) {
			this.comments.incrementAndGet();
			this.started.tryEmitEmpty();
		}
		else if (line.startsWith("event:")) {
			String name = line.substring("event:".length()).trim();
			this.events.incrementAndGet();
			if (this.firstEventNanos == 0) {
				this.firstEventNanos = System.nanoTime();
			}
			if ("ready".equals(name)) {
				this.readyNanos = System.nanoTime();
			}
			else if ("failure".equals(name)) {
				this.failure = "failure";
			}
			this.started.tryEmitEmpty();
		}
		else if (line.startsWith("data:") && this.failure != null && "failure".equals(this.failure)) {
			this.failure = line.substring("data:".length()).trim();
		}
	}

	void fail(Throwable error) {
		this.error = error;
		this.ended = true;
		this.started.tryEmitEmpty();
	}

	void end() {
		this.ended = true;
		this.started.tryEmitEmpty();
	}

	boolean isReady() {
		return this.readyNanos != 0;
	}

	/** Whether it has an outcome: {@code ready}, {@code failure}, an error or an end. */
	boolean isDone() {
		return isReady() || this.failure != null || this.ended;
	}

	long readyNanos() {
		return this.readyNanos;
	}

	long firstEventNanos() {
		return this.firstEventNanos;
	}

	int events() {
		return this.events.get();
	}

	int comments() {
		return this.comments.get();
	}

	boolean ended() {
		return this.ended;
	}

	Throwable error() {
		return this.error;
	}

	String failure() {
		return this.failure;
	}

	/** What went wrong, or {@code null} when nothing did. */
	String problem() {
		if (this.error != null) {
			return this.error.toString();
		}
		if (this.failure != null) {
			return this.failure;
		}
		return null;
	}

	void close() {
		Disposable connection = this.connection;
		if (connection != null) {
			connection.dispose();
		}
	}

}
