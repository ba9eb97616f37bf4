package dev.unidler.metrics;

import dev.unidler.web.WaitingClients;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.stereotype.Component;

/**
 * Waiting pages following a wake now: people looking at the waiting page.
 */
@Component
final class WaitingClientsMetrics implements MeterBinder {

	static final String WAITING = "unidler.waiting.clients";

	private final WaitingClients clients;

	WaitingClientsMetrics(WaitingClients clients) {
		this.clients = clients;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge.builder(WAITING, this.clients, WaitingClients::open)
			.description("Waiting pages whose event stream is open now")
			.register(registry);
	}

}
