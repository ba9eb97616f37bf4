package dev.unidler.operation;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/**
 * A waiting step must not miss a change that lands while its first look runs: the cache's
 * signals are hot, so they are subscribed to before that look.
 */
class TriggersTests {

	@Test
	void aChangeSignalledDuringTheFirstLookIsSeen() {
		Sinks.Many<String> changes = Sinks.many().multicast().directBestEffort();
		StepVerifier.create(Triggers.of(changes.asFlux(), Duration.ofHours(1)).doOnNext((trigger) -> {
			if ("start".equals(trigger)) {
				// The first look runs; meanwhile the cluster changes.
				changes.tryEmitNext("deployment ns/app1");
			}
		}).take(2)).expectNext("start", "deployment ns/app1").expectComplete().verify(Duration.ofSeconds(5));
	}

	@Test
	void withoutChangesThePeriodicLookComes() {
		Sinks.Many<String> changes = Sinks.many().multicast().directBestEffort();
		StepVerifier.withVirtualTime(() -> Triggers.of(changes.asFlux(), Duration.ofSeconds(5)).take(3))
			.expectNext("start")
			.expectNoEvent(Duration.ofSeconds(5))
			.expectNext(0L)
			.thenAwait(Duration.ofSeconds(5))
			.expectNext(1L)
			.expectComplete()
			.verify(Duration.ofSeconds(5));
	}

}
