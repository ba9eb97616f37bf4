package dev.unidler.kubernetes;

import java.io.IOException;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.util.Watch;
import okhttp3.Call;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Turns a client-java watch into a stream of change signals that reconnects by itself.
 * The watch's iterator blocks a thread for as long as the watch is open, so watches get a
 * scheduler of their own and never starve the short calls; cancelling the stream closes
 * the watch, which releases that thread.
 */
final class Watches {

	private static final Logger logger = LoggerFactory.getLogger(Watches.class);

	/** Server-side end of one watch; it is then opened again. */
	static final int WATCH_SECONDS = 30;

	private static final Duration RECONNECT_DELAY = Duration.ofMillis(500);

	/**
	 * Failed reconnects back off up to 500 ms × 2⁴ = 8 s, so an outage is not hammered.
	 */
	private static final int MAX_RECONNECT_DOUBLINGS = 4;

	private final ApiClient client;

	private final Scheduler scheduler;

	Watches(ApiClient client, Scheduler scheduler) {
		this.client = client;
		this.scheduler = scheduler;
	}

	/**
	 * Emits the type of every watch event ({@code ADDED}, {@code MODIFIED}, ...). Never
	 * completes: an ended or failed watch is opened again after a short delay, and the
	 * caller re-reads the state anyway, so no event is relied on.
	 */
	<T> Flux<String> changes(String description, Callable<Call> watchCall, Type responseType) {
		return Flux.defer(() -> {
			AtomicBoolean refusalLogged = new AtomicBoolean();
			AtomicInteger failures = new AtomicInteger();
			Flux<String> once = Flux.<String>create((sink) -> follow(sink, watchCall, responseType))
				.subscribeOn(this.scheduler)
				// An event or a watch the server ended on time: the API answers.
				.doOnNext((event) -> failures.set(0))
				.doOnComplete(() -> failures.set(0))
				.onErrorResume((error) -> {
					failures.incrementAndGet();
					// The periodic re-check still sees the change, only later: a missing
					// RBAC verb must not go unnoticed, but must not flood the log either.
					if (isRefusal(error) && refusalLogged.compareAndSet(false, true)) {
						logger.warn("Kubernetes refuses to watch {} ({}); waits rely on periodic re-checks",
								description, error.getMessage());
					}
					else {
						logger.debug("Watch of {} ended: {}", description, error.toString());
					}
					return Mono.empty();
				});
			return once.repeatWhen((ends) -> ends.concatMap((end) -> Mono
				.delay(RECONNECT_DELAY.multipliedBy(1L << Math.min(failures.get(), MAX_RECONNECT_DOUBLINGS)))));
		});
	}

	private <T> void follow(FluxSink<String> sink, Callable<Call> watchCall, Type responseType) {
		Watch<T> watch;
		try {
			BlockingCalls.requireBlockingAllowed();
			watch = Watch.createWatch(this.client, watchCall.call(), responseType);
		}
		catch (Exception ex) {
			if (!sink.isCancelled()) {
				sink.error(ex);
			}
			return;
		}
		sink.onDispose(() -> closeQuietly(watch));
		try {
			for (Watch.Response<T> event : watch) {
				if (sink.isCancelled()) {
					return;
				}
				sink.next(event.type);
			}
			sink.complete();
		}
		catch (RuntimeException ex) {
			// Closing the watch on cancel makes the blocked read fail; that is no error.
			if (!sink.isCancelled()) {
				sink.error(ex);
			}
		}
		finally {
			closeQuietly(watch);
		}
	}

	private static boolean isRefusal(Throwable error) {
		return error instanceof ApiException api && (api.getCode() == 401 || api.getCode() == 403);
	}

	private static void closeQuietly(Watch<?> watch) {
		try {
			watch.close();
		}
		catch (IOException | RuntimeException ex) {
			logger.trace("Closing a watch failed", ex);
		}
	}

}
