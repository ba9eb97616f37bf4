package dev.unidler.web;

import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Waiting pages count while their stream is open, however it ends: the stream's own end,
 * or the browser going away.
 */
class WaitingClientsTests {

	private final WaitingClients clients = new WaitingClients();

	@Test
	void aStreamCountsFromItsSubscriptionUntilItEnds() {
		Sinks.Many<String> events = Sinks.many().multicast().directBestEffort();
		Flux<String> stream = this.clients.counted(events.asFlux());
		assertThat(this.clients.open()).as("nobody reads it yet").isZero();

		StepVerifier.create(stream).then(() -> {
			assertThat(this.clients.open()).isEqualTo(1);
			events.tryEmitNext("progress");
		}).expectNext("progress").then(events::tryEmitComplete).verifyComplete();

		assertThat(this.clients.open()).isZero();
	}

	@Test
	void aClientThatLeavesNoLongerCounts() {
		Sinks.Many<String> events = Sinks.many().multicast().directBestEffort();
		Disposable first = this.clients.counted(events.asFlux()).subscribe();
		Disposable second = this.clients.counted(events.asFlux()).subscribe();
		assertThat(this.clients.open()).isEqualTo(2);

		second.dispose();
		assertThat(this.clients.open()).isEqualTo(1);
		first.dispose();
		assertThat(this.clients.open()).isZero();
	}

}
