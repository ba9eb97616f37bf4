package dev.unidler.kubernetes;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.unidler.app.AppEvent;
import org.jspecify.annotations.Nullable;

/**
 * Decides what one recorded Event costs the API server, the way client-go's event
 * recorder does, and bounds it. No I/O, no waiting: it runs on the thread that records.
 * <ul>
 * <li>An Event identical to one seen within the series window (same workload, type,
 * reason, action and note) joins its series: the existing object's {@code series.count}
 * and {@code lastObservedTime} are patched, no new object is created.</li>
 * <li>Every write, create or patch, spends a token of the workload's budget: a burst,
 * then one more per refill period. A write beyond it is skipped; its repetition is still
 * counted, and the next write the budget allows carries the whole count.</li>
 * <li>Series and budgets are kept for a bounded number of workloads, the least recently
 * used forgotten first, so memory does not grow with a flood either.</li>
 * </ul>
 */
final class EventSeries {

	static final int MAX_TRACKED = 1_000;

	/** An Event's name: its workload's, a dot, and 16 hex digits (client-go's form). */
	private static final int NAME_PREFIX_LIMIT = 253 - 17;

	private final Duration window;

	private final int burst;

	private final Duration refill;

	private final InstantSource clock;

	private final Map<Key, Series> series = lru();

	private final Map<AppEvent.Regarding, Budget> budgets = lru();

	private long lastNanos;

	EventSeries(Duration window, int burst, Duration refill, InstantSource clock) {
		this.window = window;
		this.burst = burst;
		this.refill = refill;
		this.clock = clock;
	}

	/**
	 * Takes note of an Event.
	 * @return the write it needs now, or {@code null} when the workload's budget is spent
	 */
	synchronized @Nullable Write observe(AppEvent event) {
		Instant now = this.clock.instant();
		Key key = new Key(event);
		Series current = this.series.get(key);
		if (current == null || current.lastObserved.plus(this.window).isBefore(now)) {
			current = new Series(name(event.regarding(), now), now);
			this.series.put(key, current);
		}
		else {
			current.count++;
			current.lastObserved = now;
		}
		if (!this.budgets.computeIfAbsent(key.regarding(), (regarding) -> new Budget(this.burst, now)).take(now)) {
			return null;
		}
		boolean create = !current.written;
		current.written = true;
		return new Write(current.name, create, current.first, current.count, current.lastObserved);
	}

	/** {@code <workload>.<hex>}, unique in this instance even within one nanosecond. */
	private String name(AppEvent.Regarding regarding, Instant now) {
		long nanos = Math.max(now.getEpochSecond() * 1_000_000_000L + now.getNano(), this.lastNanos + 1);
		this.lastNanos = nanos;
		String prefix = regarding.name();
		if (prefix.length() > NAME_PREFIX_LIMIT) {
			prefix = prefix.substring(0, NAME_PREFIX_LIMIT);
		}
		return prefix + "." + String.format("%016x", nanos);
	}

	private static <K, V> Map<K, V> lru() {
		return new LinkedHashMap<>(16, 0.75f, true) {

			@Override
			protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
				return size() > MAX_TRACKED;
			}

		};
	}

	/**
	 * One write to make.
	 *
	 * @param name the Event object's name
	 * @param create whether to create it (else patch its series)
	 * @param first when the series began: the Event's {@code eventTime}
	 * @param count how many times the Event happened; a series from 2
	 * @param lastObserved when it last happened
	 */
	record Write(String name, boolean create, Instant first, int count, Instant lastObserved) {

		boolean isSeries() {
			return this.count > 1;
		}

	}

	/** What makes two Events the same Event. */
	private record Key(AppEvent.Regarding regarding, AppEvent.Type type, String reason, String action, String note) {

		Key(AppEvent event) {
			this(new AppEvent.Regarding(event.regarding().kind(), event.regarding().namespace(),
					event.regarding().name(), null), event.type(), event.reason(), event.action(), event.note());
		}

	}

	private static final class Series {

		private final String name;

		private final Instant first;

		private int count = 1;

		private Instant lastObserved;

		private boolean written;

		Series(String name, Instant first) {
			this.name = name;
			this.first = first;
			this.lastObserved = first;
		}

	}

	/** A token bucket: {@code burst} tokens, one back per refill period. */
	private final class Budget {

		private double tokens;

		private Instant last;

		Budget(int tokens, Instant now) {
			this.tokens = tokens;
			this.last = now;
		}

		boolean take(Instant now) {
			double elapsed = Duration.between(this.last, now).toNanos();
			this.tokens = Math.min(EventSeries.this.burst, this.tokens + elapsed / EventSeries.this.refill.toNanos());
			this.last = now;
			if (this.tokens < 1) {
				return false;
			}
			this.tokens--;
			return true;
		}

	}

}
