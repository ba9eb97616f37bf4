package dev.unidler.web;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import dev.unidler.TestProperties;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LookupBudgetTests {

	private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

	private final LookupBudget budget = new LookupBudget(
			TestProperties
				.with(Map.of("unidler.wake-policy.lookups-per-second", "2", "unidler.wake-policy.lookup-burst", "3")),
			this.nanos::get);

	@Test
	void aClientMayCauseABurstThenTheRefillRate() {
		assertThat(this.budget.take("10.0.0.1")).isZero();
		assertThat(this.budget.take("10.0.0.1")).isZero();
		assertThat(this.budget.take("10.0.0.1")).isZero();
		// Empty: the next token comes in half a second, so retry in (at least) one.
		assertThat(this.budget.take("10.0.0.1")).isEqualTo(1);

		advance(Duration.ofMillis(500));
		assertThat(this.budget.take("10.0.0.1")).isZero();
		assertThat(this.budget.take("10.0.0.1")).isEqualTo(1);

		// Idle for long: the bucket is full again, but no fuller than the burst.
		advance(Duration.ofMinutes(10));
		assertThat(this.budget.take("10.0.0.1")).isZero();
		assertThat(this.budget.take("10.0.0.1")).isZero();
		assertThat(this.budget.take("10.0.0.1")).isZero();
		assertThat(this.budget.take("10.0.0.1")).isPositive();
	}

	@Test
	void clientsHaveABudgetEach() {
		for (int i = 0; i < 3; i++) {
			assertThat(this.budget.take("10.0.0.1")).isZero();
		}
		assertThat(this.budget.take("10.0.0.1")).isPositive();
		assertThat(this.budget.take("10.0.0.2")).isZero();
	}

	@Test
	void theRetryAfterCoversASlowRefill() {
		LookupBudget slow = new LookupBudget(TestProperties
			.with(Map.of("unidler.wake-policy.lookups-per-second", "0.1", "unidler.wake-policy.lookup-burst", "1")),
				this.nanos::get);
		assertThat(slow.take("10.0.0.1")).isZero();
		assertThat(slow.take("10.0.0.1")).isEqualTo(10);
	}

	@Test
	void zeroPerSecondTurnsTheBudgetOff() {
		LookupBudget off = new LookupBudget(TestProperties.with(Map.of("unidler.wake-policy.lookups-per-second", "0")),
				this.nanos::get);
		for (int i = 0; i < 1000; i++) {
			assertThat(off.take("10.0.0.1")).isZero();
		}
		assertThat(off.clients()).isZero();
	}

	@Test
	void manyClientsAtOnceShareOneBucketBeyondTheLimitAndIdleOnesAreForgotten() {
		for (int i = 0; i < LookupBudget.MAX_CLIENTS; i++) {
			this.budget.take("client-" + i);
		}
		assertThat(this.budget.clients()).isEqualTo(LookupBudget.MAX_CLIENTS);
		// Newcomers share the overflow bucket: three lookups between them, then no more.
		assertThat(this.budget.take("newcomer-1")).isZero();
		assertThat(this.budget.take("newcomer-2")).isZero();
		assertThat(this.budget.take("newcomer-3")).isZero();
		assertThat(this.budget.take("newcomer-4")).isPositive();
		assertThat(this.budget.clients()).isEqualTo(LookupBudget.MAX_CLIENTS);

		// Once the others have been quiet long enough to be full again, they are dropped.
		advance(Duration.ofSeconds(2));
		assertThat(this.budget.take("newcomer-5")).isZero();
		assertThat(this.budget.clients()).isEqualTo(1);
	}

	private void advance(Duration duration) {
		this.nanos.addAndGet(duration.toNanos());
	}

}
