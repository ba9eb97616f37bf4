package dev.unidler.web;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Counts requests refused for their {@code Host} header. Anyone can send a bad Host, so
 * one log line per request would let a scanner fill the log (Reactor Netty used to WARN
 * for every unparsable port); instead the count is kept and summarised in at most one
 * line per {@link #SUMMARY_INTERVAL}. The header's value is never logged.
 */
@Component
final class BadHosts {

	static final Duration SUMMARY_INTERVAL = Duration.ofMinutes(1);

	private static final Logger logger = LoggerFactory.getLogger(BadHosts.class);

	private final AtomicLong total = new AtomicLong();

	private final AtomicLong unreported = new AtomicLong();

	private final AtomicLong lastSummaryNanos;

	private final LongSupplier nanoTime;

	@Autowired
	BadHosts() {
		this(System::nanoTime);
	}

	BadHosts(LongSupplier nanoTime) {
		this.nanoTime = nanoTime;
		this.lastSummaryNanos = new AtomicLong(nanoTime.getAsLong() - SUMMARY_INTERVAL.toNanos());
	}

	/**
	 * Counts one refused request.
	 * @param why what was wrong, in a few words of our own (never the header's value)
	 */
	void refused(String why) {
		this.total.incrementAndGet();
		this.unreported.incrementAndGet();
		long now = this.nanoTime.getAsLong();
		long last = this.lastSummaryNanos.get();
		if (now - last >= SUMMARY_INTERVAL.toNanos() && this.lastSummaryNanos.compareAndSet(last, now)) {
			long count = this.unreported.getAndSet(0);
			// Off the event loop: writing a log line is I/O.
			Schedulers.boundedElastic()
				.schedule(() -> logger.info(
						"Refused {} request(s) with a bad Host header since the last report (latest: {}); {} in all",
						count, why, this.total.get()));
		}
	}

	/** Requests refused for their Host header since start. */
	long total() {
		return this.total.get();
	}

}
