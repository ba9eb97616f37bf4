package dev.unidler.admin;

import java.time.Duration;

import dev.unidler.access.AccessProperties;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Guessing tokens gets slower, per client, and forgiven after a minute.
 */
class FailedAuthenticationsTests {

	@Test
	void afterAFewFailuresEachIsSlowerUpToACap() {
		VirtualTimeScheduler.getOrSet();
		try {
			FailedAuthentications failures = new FailedAuthentications(
					new AccessProperties(null, null, "unidler.dev/allow", Duration.ofSeconds(10), 3));
			for (int i = 0; i < 3; i++) {
				assertThat(failures.failed("10.0.0.1")).isZero();
			}
			assertThat(failures.failed("10.0.0.1")).isEqualTo(Duration.ofMillis(250));
			assertThat(failures.failed("10.0.0.1")).isEqualTo(Duration.ofMillis(500));
			assertThat(failures.failed("10.0.0.2")).as("another client").isZero();
			for (int i = 0; i < 20; i++) {
				failures.failed("10.0.0.1");
			}
			assertThat(failures.failed("10.0.0.1")).isEqualTo(Duration.ofSeconds(10));

			VirtualTimeScheduler.get().advanceTimeBy(Duration.ofMinutes(2));
			assertThat(failures.failed("10.0.0.1")).as("a minute later").isZero();
		}
		finally {
			VirtualTimeScheduler.reset();
		}
	}

}
