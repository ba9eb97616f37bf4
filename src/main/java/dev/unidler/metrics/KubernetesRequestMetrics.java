package dev.unidler.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.unidler.kubernetes.ApiRequest;
import dev.unidler.kubernetes.ApiRequestObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;

/**
 * Kubernetes API requests by verb, resource and status code, as the client's HTTP layer
 * sends them: a rising rate of {@code 429}s or {@code 5xx}s, or of {@code none} (no
 * answer), says the API server is in trouble before wakes start failing.
 */
@Component
final class KubernetesRequestMetrics implements ApiRequestObserver {

	static final String REQUESTS = "unidler.kubernetes.requests";

	private final MeterRegistry registry;

	/** The few counters there are, so a request costs a lookup, not a registration. */
	private final Map<ApiRequest, Counter> counters = new ConcurrentHashMap<>();

	KubernetesRequestMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void requested(ApiRequest request) {
		this.counters.computeIfAbsent(request, this::counter).increment();
	}

	private Counter counter(ApiRequest request) {
		return Counter.builder(REQUESTS)
			.description("Kubernetes API requests, by verb, resource and status code ('none': no answer)")
			.tag("verb", request.verb())
			.tag("resource", request.resource())
			.tag("code", request.code())
			.register(this.registry);
	}

}
