package dev.unidler.web;

import java.util.concurrent.atomic.AtomicInteger;

import reactor.core.publisher.Flux;

import org.springframework.stereotype.Component;

/**
 * How many waiting pages follow a wake right now: the event streams of {@code /events}
 * that are open. Streams of the admin API are not waiting pages and do not count.
 */
@Component
public final class WaitingClients {

	private final AtomicInteger open = new AtomicInteger();

	/** Event streams of waiting pages open now. */
	public int open() {
		return this.open.get();
	}

	/** The stream, counted while a client reads it, however it ends. */
	<T> Flux<T> counted(Flux<T> stream) {
		return Flux.defer(() -> {
			this.open.incrementAndGet();
			return stream.doFinally((signal) -> this.open.decrementAndGet());
		});
	}

}
