package dev.unidler.kubernetes;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

import dev.unidler.app.AppEvent;
import dev.unidler.app.AppEvent.Regarding;
import dev.unidler.app.AppEvent.Type;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a recorded Event costs the API server, on a clock the test moves: repetitions join
 * one object's series, a quiet window starts a new Event, and a flood is bounded by the
 * workload's budget without losing its count.
 */
class EventSeriesTests {

	private static final Instant START = Instant.parse("2026-11-23T10:00:00.123456789Z");

	private final Clock clock = new Clock();

	/** Window 10 min, burst 3, one more write a minute. */
	private final EventSeries series = new EventSeries(Duration.ofMinutes(10), 3, Duration.ofMinutes(1), this.clock);

	@Test
	void theFirstEventIsCreatedAndItsRepetitionsPatchItsSeries() {
		EventSeries.Write first = this.series.observe(failed("web"));
		this.clock.advance(Duration.ofSeconds(30));
		EventSeries.Write second = this.series.observe(failed("web"));
		this.clock.advance(Duration.ofSeconds(30));
		EventSeries.Write third = this.series.observe(failed("web"));

		assertThat(first.create()).isTrue();
		assertThat(first.isSeries()).isFalse();
		assertThat(first.name()).startsWith("web.");
		assertThat(first.first()).isEqualTo(START);
		assertThat(List.of(second, third)).allSatisfy((write) -> {
			assertThat(write.create()).isFalse();
			assertThat(write.name()).isEqualTo(first.name());
			assertThat(write.first()).isEqualTo(START);
		});
		assertThat(second.count()).isEqualTo(2);
		assertThat(third.count()).isEqualTo(3);
		assertThat(third.lastObserved()).isEqualTo(START.plusSeconds(60));
	}

	@Test
	void aQuietWindowStartsANewEvent() {
		EventSeries.Write first = this.series.observe(failed("web"));
		this.clock.advance(Duration.ofMinutes(10).plusSeconds(1));
		EventSeries.Write later = this.series.observe(failed("web"));

		assertThat(later.create()).isTrue();
		assertThat(later.count()).isEqualTo(1);
		assertThat(later.name()).isNotEqualTo(first.name());
	}

	@Test
	void differentEventsOrWorkloadsAreDifferentObjects() {
		EventSeries.Write failed = this.series.observe(failed("web"));
		EventSeries.Write other = this.series.observe(event("web", "WakeFailed", "Wake failed (deadline): too slow"));
		EventSeries.Write woken = this.series.observe(event("web", "Woken", "Woken in 3.2 s"));
		EventSeries.Write elsewhere = this.series.observe(failed("api"));

		assertThat(List.of(failed, other, woken, elsewhere)).allMatch(EventSeries.Write::create)
			.extracting(EventSeries.Write::name)
			.doesNotHaveDuplicates();
	}

	@Test
	void aFloodIsBoundedPerWorkloadAndTheNextAllowedWriteCarriesTheWholeCount() {
		List<EventSeries.Write> writes = new ArrayList<>();
		for (int i = 0; i < 1_000; i++) {
			EventSeries.Write write = this.series.observe(failed("web"));
			if (write != null) {
				writes.add(write);
			}
			this.clock.advance(Duration.ofMillis(10));
		}
		// The burst: one create, two patches; 997 more counted but not written.
		assertThat(writes).extracting(EventSeries.Write::count).containsExactly(1, 2, 3);
		// Another workload has a budget of its own.
		assertThat(this.series.observe(failed("api"))).isNotNull();

		this.clock.advance(Duration.ofMinutes(1));
		EventSeries.Write next = this.series.observe(failed("web"));

		assertThat(next.create()).isFalse();
		assertThat(next.count()).isEqualTo(1_001);
		assertThat(this.series.observe(failed("web"))).as("one write a minute after the burst").isNull();
	}

	@Test
	void aWriteSkippedBeforeTheFirstOneCreatesTheObjectLaterWithItsSeries() {
		for (int i = 0; i < 3; i++) {
			this.series.observe(event("web", "Woken", "Woken in " + i + " s"));
		}
		assertThat(this.series.observe(failed("web"))).isNull();
		this.clock.advance(Duration.ofMinutes(1));
		EventSeries.Write write = this.series.observe(failed("web"));

		assertThat(write.create()).isTrue();
		assertThat(write.count()).isEqualTo(2);
		assertThat(write.isSeries()).isTrue();
	}

	@Test
	void namesAreValidAndUniqueEvenForLongWorkloadNamesAtTheSameInstant() {
		String longName = "a".repeat(253);
		EventSeries.Write one = this.series.observe(event(longName, "Woken", "one"));
		EventSeries.Write two = this.series.observe(event(longName, "Woken", "two"));

		assertThat(List.of(one.name(), two.name())).doesNotHaveDuplicates()
			.allSatisfy((name) -> assertThat(name).hasSizeLessThanOrEqualTo(253).matches("[a-z0-9.-]+"));
	}

	private static AppEvent failed(String workload) {
		return event(workload, "WakeFailed", "Wake failed (app-cannot-start): ImagePullBackOff");
	}

	private static AppEvent event(String workload, String reason, String note) {
		return new AppEvent(Regarding.workload("Deployment", "team-a", workload),
				reason.endsWith("Failed") ? Type.WARNING : Type.NORMAL, reason, "Wake", note);
	}

	private static final class Clock implements InstantSource {

		private Instant now = START;

		void advance(Duration duration) {
			this.now = this.now.plus(duration);
		}

		@Override
		public Instant instant() {
			return this.now;
		}

	}

}
