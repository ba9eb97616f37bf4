package dev.unidler.operation;

import java.time.Duration;

import reactor.core.publisher.Flux;

/**
 * When a waiting step looks again: at once, on every change the cluster signals, and
 * periodically in case a signal was lost. Bursts collapse so that a slow read is not
 * followed by a queue of redundant ones.
 *
 * <p>
 * The changes are subscribed to before the first look: a change that lands while that
 * look runs is then signalled, and one that landed before it is in what the look reads
 * (the cache is updated before it signals). The other way round, a change in between
 * would be seen only at the next periodic look.
 */
public final class Triggers {

	private Triggers() {
	}

	public static Flux<Object> of(Flux<?> changes, Duration recheck) {
		// merge subscribes in this order.
		return Flux.<Object>merge(changes, Flux.just("start"), Flux.interval(recheck, recheck)).onBackpressureLatest();
	}

}
