package dev.unidler.notify;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.util.concurrent.Queues;

/**
 * A bounded queue per target, drained by the {@link WebhookSender}. Queuing never waits:
 * a target that already has its capacity waiting or under way loses the new delivery,
 * which is logged and counted ({@code outcome="dropped"}) rather than held in memory. At
 * shutdown what is pending gets a bounded time to finish; what is left is logged, one
 * line per delivery, and counted as {@code undelivered}.
 * <p>
 * Meters, by the target's name (never its URL): {@code unidler.webhook.deliveries}
 * ({@code unidler_webhook_deliveries_total} in Prometheus) with
 * {@code outcome=delivered|failed|dropped|undelivered}, and the gauge
 * {@code unidler.webhook.pending}.
 */
final class WebhookQueues {

	private static final Logger logger = LoggerFactory.getLogger(WebhookQueues.class);

	static final String DELIVERIES = "unidler.webhook.deliveries";

	static final String PENDING = "unidler.webhook.pending";

	private final WebhookSender sender;

	private final MeterRegistry meters;

	private final int capacity;

	private final int concurrency;

	private final Map<String, TargetQueue> queues = new ConcurrentHashMap<>();

	private volatile boolean closed;

	WebhookQueues(WebhookSender sender, MeterRegistry meters, WebhookProperties properties) {
		this.sender = sender;
		this.meters = meters;
		this.capacity = Math.max(1, properties.queueCapacity());
		this.concurrency = Math.max(1, properties.concurrency());
	}

	/**
	 * Queues a delivery, without waiting.
	 * @param delivery what to post
	 * @return whether it was queued: {@code false} when its target's queue is full or
	 * this instance is shutting down (then it was logged and counted)
	 */
	boolean offer(Delivery delivery) {
		String name = delivery.target().name();
		TargetQueue queue = this.queues.computeIfAbsent(name, TargetQueue::new);
		if (this.closed) {
			queue.count("undelivered");
			logger.warn("Undelivered webhook {} to {} ({}): the unidler is shutting down", delivery.id(), name,
					delivery.type());
			return false;
		}
		return queue.offer(delivery);
	}

	/**
	 * Stops taking deliveries, and lets what is pending finish for up to {@code grace}.
	 * @param grace the longest wait
	 * @return completes when every queue is empty or the grace is over; what is left by
	 * then is logged and counted as undelivered
	 */
	Mono<Void> close(Duration grace) {
		this.closed = true;
		return Mono.when(this.queues.values().stream().map(TargetQueue::drained).toList())
			.timeout(grace, Mono.empty())
			.onErrorResume((error) -> Mono.empty())
			// Before completing, so whoever waits on it finds every leftover logged.
			.then(Mono.fromRunnable(() -> this.queues.values().forEach(TargetQueue::abandon)));
	}

	/** Deliveries waiting or under way for a target. */
	int pending(String target) {
		TargetQueue queue = this.queues.get(target);
		return (queue != null) ? queue.pending.get() : 0;
	}

	private final class TargetQueue {

		private final String name;

		private final AtomicInteger pending = new AtomicInteger();

		private final Map<String, Delivery> unfinished = new ConcurrentHashMap<>();

		/** Bounded by {@link #pending}: it never holds more than the capacity. */
		private final Sinks.Many<Delivery> sink;

		private final Sinks.Empty<Void> empty = Sinks.empty();

		private final Disposable draining;

		private final Map<String, Counter> counters = new ConcurrentHashMap<>();

		TargetQueue(String name) {
			this.name = name;
			this.sink = Sinks.many()
				.unicast()
				.onBackpressureBuffer(Queues.<Delivery>get(WebhookQueues.this.capacity).get());
			Gauge.builder(PENDING, this.pending, AtomicInteger::get)
				.tag("target", name)
				.description("Webhook deliveries waiting or under way")
				.register(WebhookQueues.this.meters);
			Function<Delivery, Mono<Void>> deliver = (delivery) -> WebhookQueues.this.sender.send(delivery)
				.doOnSuccess((done) -> finished(delivery, "delivered", null))
				.onErrorResume((error) -> {
					finished(delivery, "failed", error);
					return Mono.empty();
				})
				// The first try starts off the thread that queued it.
				.subscribeOn(Schedulers.parallel());
			this.draining = this.sink.asFlux().flatMap(deliver, WebhookQueues.this.concurrency).subscribe();
		}

		boolean offer(Delivery delivery) {
			if (this.pending.incrementAndGet() > WebhookQueues.this.capacity) {
				this.pending.decrementAndGet();
				count("dropped");
				logger.warn("Dropped webhook {} to {} ({}): {} deliveries already pending", delivery.id(), this.name,
						delivery.type(), WebhookQueues.this.capacity);
				return false;
			}
			this.unfinished.put(delivery.id(), delivery);
			Sinks.EmitResult result;
			// Listeners are called from several threads; the sink takes one at a time.
			synchronized (this) {
				result = this.sink.tryEmitNext(delivery);
			}
			if (result.isFailure()) {
				this.unfinished.remove(delivery.id());
				this.pending.decrementAndGet();
				count("dropped");
				logger.warn("Dropped webhook {} to {} ({}): {}", delivery.id(), this.name, delivery.type(), result);
				return false;
			}
			return true;
		}

		private void finished(Delivery delivery, String outcome, @Nullable Throwable error) {
			if (this.unfinished.remove(delivery.id()) == null) {
				return;
			}
			count(outcome);
			if (error != null) {
				logger.warn("Webhook {} to {} ({}) not delivered: {}", delivery.id(), this.name, delivery.type(),
						reason(error));
			}
			if (this.pending.decrementAndGet() == 0 && WebhookQueues.this.closed) {
				this.empty.tryEmitEmpty();
			}
		}

		Mono<Void> drained() {
			return (this.pending.get() == 0) ? Mono.empty() : this.empty.asMono();
		}

		void abandon() {
			this.draining.dispose();
			for (Delivery left : this.unfinished.values()) {
				if (this.unfinished.remove(left.id()) != null) {
					this.pending.decrementAndGet();
					count("undelivered");
					logger.warn("Undelivered webhook {} to {} ({}): still pending at shutdown", left.id(), this.name,
							left.type());
				}
			}
		}

		void count(String outcome) {
			this.counters
				.computeIfAbsent(outcome,
						(key) -> Counter.builder(DELIVERIES)
							.tag("target", this.name)
							.tag("outcome", key)
							.description("Webhook deliveries by how they ended")
							.register(WebhookQueues.this.meters))
				.increment();
		}

		private static String reason(Throwable error) {
			// Never the exception's message: it may quote the URL.
			return (error instanceof WebhookSender.Refused refused) ? "answered " + refused.status().value()
					: error.getClass().getSimpleName();
		}

	}

}
