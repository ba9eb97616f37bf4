package dev.unidler.operation;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import dev.unidler.app.InMemoryLeases;
import dev.unidler.app.Leases;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A held Lease is renewed for as long as it is held, even when the API takes longer to
 * answer a renewal than the time between two: no renewal is lost to an error, and none
 * queues up behind a slow one.
 */
class AppLeasesTests {

	@Test
	void slowRenewalsSkipATickAndGoOn() {
		VirtualTimeScheduler time = VirtualTimeScheduler.getOrSet();
		AtomicInteger dropped = new AtomicInteger();
		Hooks.onErrorDropped((error) -> dropped.incrementAndGet());
		try {
			AtomicInteger renewals = new AtomicInteger();
			InMemoryLeases held = new InMemoryLeases();
			Leases slow = new Leases() {

				@Override
				public Mono<String> tryAcquire(String name, String holder, String owner, Duration duration,
						Map<String, String> annotations) {
					return held.tryAcquire(name, holder, owner, duration, annotations);
				}

				@Override
				public Mono<Boolean> renew(String name, String holder, Duration duration) {
					renewals.incrementAndGet();
					// 12 s to answer: longer than the 5 s between renewals.
					return held.renew(name, holder, duration).delayElement(Duration.ofSeconds(12));
				}

				@Override
				public Mono<Void> release(String name, String holder) {
					return held.release(name, holder);
				}

			};
			AppLeases leases = new AppLeases(slow,
					new CoordinationProperties("default", Duration.ofSeconds(15), Duration.ofMillis(500), "test"));
			AppLeases.AppLease lease = leases.tryAcquire("ns/app1", OperationKind.WAKE).block().lease();
			assertThat(lease).isNotNull();

			time.advanceTimeBy(Duration.ofMinutes(1));

			// Renewals at 5 s, then each as soon as a tick comes after the previous
			// answer.
			assertThat(renewals.get()).isGreaterThanOrEqualTo(4);
			assertThat(dropped.get()).isZero();
			lease.release().block();
		}
		finally {
			Hooks.resetOnErrorDropped();
			VirtualTimeScheduler.reset();
		}
	}

}
