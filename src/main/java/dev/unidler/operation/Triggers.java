package dev.unidler.operation;

import java.time.Duration;

import reactor.core.publisher.Flux;

/**
 * When a waiting step looks again: at once, on every change the cluster signals, and
 * periodically in case a signal was lost. Bursts collapse so that a slow read is not
 * followed by a queue of redundant ones.
 */
public final class Triggers {

	private Triggers() {
	}

	public static Flux<Object> of(Flux<?> changes, Duration recheck) {
		return Flux.<Object>merge(Flux.just("start"), changes, Flux.interval(recheck, recheck)).onBackpressureLatest();
	}

}
