package dev.unidler.web;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import dev.unidler.UnidlerProperties;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * How many lookups each client may cause for hosts this instance has not seen. A request
 * for a host with no wake running or remembered costs the API server two list calls; a
 * client that invents hosts could otherwise turn its request rate into API-server load.
 * Each client address has a token bucket: {@code lookup-burst} at once, refilled at
 * {@code lookups-per-second}. Requests for hosts already seen cost nothing.
 *
 * <p>
 * At most {@link #MAX_CLIENTS} buckets are kept; when that many clients are busy at once
 * (say, an attacker with many addresses), newcomers share one bucket, so memory stays
 * bounded and no client can empty another's bucket.
 */
@Component
final class LookupBudget {

	static final int MAX_CLIENTS = 10_000;

	private final double perSecond;

	private final int burst;

	private final LongSupplier nanoTime;

	private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

	private final Bucket overflow;

	@Autowired
	LookupBudget(UnidlerProperties properties) {
		this(properties, System::nanoTime);
	}

	LookupBudget(UnidlerProperties properties, LongSupplier nanoTime) {
		this.perSecond = properties.wakePolicy().lookupsPerSecond();
		this.burst = Math.max(1, properties.wakePolicy().lookupBurst());
		this.nanoTime = nanoTime;
		this.overflow = new Bucket(this.burst, nanoTime.getAsLong());
	}

	/**
	 * Takes one lookup from a client's budget.
	 * @param client the client's key
	 * @return {@code 0} if the lookup may go ahead, else how many seconds until it may
	 */
	long take(String client) {
		if (this.perSecond <= 0) {
			return 0;
		}
		long now = this.nanoTime.getAsLong();
		Bucket bucket = this.buckets.get(client);
		if (bucket == null) {
			if (this.buckets.size() >= MAX_CLIENTS) {
				this.buckets.values().removeIf((candidate) -> candidate.isFull(now));
			}
			bucket = (this.buckets.size() < MAX_CLIENTS)
					? this.buckets.computeIfAbsent(client, (key) -> new Bucket(this.burst, now)) : this.overflow;
		}
		return bucket.take(now);
	}

	int clients() {
		return this.buckets.size();
	}

	private final class Bucket {

		private double tokens;

		private long updated;

		Bucket(double tokens, long now) {
			this.tokens = tokens;
			this.updated = now;
		}

		synchronized long take(long now) {
			refill(now);
			if (this.tokens >= 1) {
				this.tokens -= 1;
				return 0;
			}
			return Math.max(1, (long) Math.ceil((1 - this.tokens) / LookupBudget.this.perSecond));
		}

		synchronized boolean isFull(long now) {
			refill(now);
			return this.tokens >= LookupBudget.this.burst;
		}

		private void refill(long now) {
			double seconds = (double) (now - this.updated) / TimeUnit.SECONDS.toNanos(1);
			if (seconds > 0) {
				this.tokens = Math.min(LookupBudget.this.burst, this.tokens + seconds * LookupBudget.this.perSecond);
				this.updated = now;
			}
		}

	}

}
