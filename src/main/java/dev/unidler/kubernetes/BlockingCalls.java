package dev.unidler.kubernetes;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.unidler.app.ClusterException;
import io.kubernetes.client.openapi.ApiException;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

/**
 * Runs client-java's blocking calls on a bounded scheduler of their own, never on a Netty
 * event loop, with a time limit, a couple of retries for transient failures, and errors
 * turned into {@link ClusterException}.
 */
final class BlockingCalls {

	static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

	private final Scheduler scheduler;

	BlockingCalls(Scheduler scheduler) {
		this.scheduler = scheduler;
	}

	<T> Mono<T> call(String description, Callable<T> call) {
		return Mono.defer(() -> {
			AtomicBoolean cancelled = new AtomicBoolean();
			return Mono.fromCallable(() -> {
				requireBlockingAllowed();
				try {
					return call.call();
				}
				catch (Exception ex) {
					if (cancelled.get()) {
						// Cancelling interrupts the call; nobody waits for its outcome,
						// and Reactor would log the error as dropped.
						return null;
					}
					throw ex;
				}
			}).doOnCancel(() -> cancelled.set(true)).subscribeOn(this.scheduler);
		})
			.timeout(CALL_TIMEOUT)
			.onErrorMap((error) -> !(error instanceof ClusterException), (error) -> translate(description, error))
			.retryWhen(Retry.backoff(2, Duration.ofMillis(200))
				.filter((error) -> ((ClusterException) error).isTransient())
				.onRetryExhaustedThrow((spec, signal) -> signal.failure()));
	}

	/**
	 * Fails fast if a blocking call is about to run on a non-blocking thread, such as a
	 * Netty event loop; the tests rely on it to prove no request thread ever blocks.
	 */
	static void requireBlockingAllowed() {
		Thread thread = Thread.currentThread();
		if (Schedulers.isInNonBlockingThread() || thread.getName().startsWith("reactor-http-")) {
			throw new IllegalStateException("Blocking Kubernetes call on non-blocking thread " + thread.getName());
		}
	}

	static ClusterException translate(String description, Throwable error) {
		if (error instanceof ApiException api && api.getCode() == 0 && api.getCause() != null) {
			return new ClusterException(description + " got no answer: " + api.getCause(), 0, api);
		}
		if (error instanceof ApiException api) {
			return new ClusterException(description + " failed: HTTP " + api.getCode() + " " + summary(api),
					api.getCode(), api);
		}
		if (error instanceof TimeoutException) {
			return new ClusterException(description + " got no answer within " + CALL_TIMEOUT, 0, error);
		}
		return new ClusterException(description + " failed: " + error, 0, error);
	}

	/** The status message of an API error, not the whole body. */
	private static String summary(ApiException api) {
		String body = api.getResponseBody();
		if (body == null || body.isBlank()) {
			return String.valueOf(api.getMessage());
		}
		return (body.length() > 300) ? body.substring(0, 300) + "…" : body;
	}

}
