package dev.unidler.operation;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.unidler.UnidlerProperties;
import dev.unidler.app.ClusterException;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

/**
 * Rides out a Kubernetes API outage. Work that fails because Kubernetes did not answer
 * ({@link ClusterException#isTransient()}: no answer, 429, 5xx) is run again from the
 * start after a pause that doubles from {@code unidler.wake.api-backoff} up to
 * {@code unidler.wake.api-backoff-max}, with jitter so that the replicas and wakes that
 * lost the API together do not all come back in the same instant. It keeps trying for as
 * long as its subscriber lets it: the wake's deadline ends it. Work is safe to run again
 * because every step looks before it writes, and every write is idempotent.
 */
@Component
public final class Outages {

	/** What the page says while the API does not answer; the step stays running. */
	public static final String WAITING_MESSAGE = "Waiting for the Kubernetes API…";

	private static final double JITTER = 0.2;

	private final Duration backoff;

	private final Duration backoffMax;

	public Outages(UnidlerProperties properties) {
		this.backoff = properties.wake().apiBackoff();
		this.backoffMax = properties.wake().apiBackoffMax();
	}

	/**
	 * Runs the work, again after every transient failure.
	 * @param work the work, asked for afresh on every try
	 * @param waiting turns the first transient failure after an answer into an item, so
	 * subscribers learn that the wake waits for the API (once per outage, not per try)
	 * @return the items of the work, with {@code waiting} items where it failed
	 * transiently; other errors end it as they come
	 */
	public <T> Flux<T> rideOut(Supplier<? extends Publisher<? extends T>> work, Function<ClusterException, T> waiting) {
		return Flux.defer(() -> {
			Tries tries = new Tries();
			Flux<T> once = Flux.defer(() -> {
				tries.lastFailed = false;
				return Flux.<T>from(work.get());
			}).doOnNext((item) -> tries.failures = 0).onErrorResume(Outages::isTransient, (error) -> {
				tries.lastFailed = true;
				tries.failures++;
				return (tries.failures == 1) ? Mono.just(waiting.apply((ClusterException) error)) : Mono.empty();
			});
			return once.repeatWhen((ends) -> ends.takeWhile((end) -> tries.lastFailed)
				.concatMap((end) -> Mono.delay(pause(tries.failures))));
		});
	}

	/** The pause after the given number of failures in a row, from 1. */
	public Duration pause(int failures) {
		long nominal = this.backoff.toMillis() << Math.min(failures - 1, 20);
		long capped = Math.min(nominal, this.backoffMax.toMillis());
		double jitter = 1 + JITTER * (2 * ThreadLocalRandom.current().nextDouble() - 1);
		return Duration.ofMillis(Math.min(Math.round(capped * jitter), this.backoffMax.toMillis()));
	}

	public static boolean isTransient(Throwable error) {
		return error instanceof ClusterException cluster && cluster.isTransient();
	}

	/** One run of the work: its failures in a row, and whether the last try failed. */
	private static final class Tries {

		volatile int failures;

		volatile boolean lastFailed;

	}

}
