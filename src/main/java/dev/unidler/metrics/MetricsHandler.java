package dev.unidler.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * {@code GET /metrics} on the admin port: every meter in Prometheus's text format, or in
 * OpenMetrics when the scraper asks for it (Prometheus does). Routed by the admin
 * surface, so no app's host ever reaches it.
 * <p>
 * No token: the metrics name no app, host or namespace (see the package), Prometheus's
 * Kubernetes discovery scrapes without one, and the admin port is reached only through
 * its own Service. Writing the exposition reads every meter, gauges included, so it runs
 * off the event loop, as Actuator runs its blocking endpoints.
 */
@Component
public final class MetricsHandler {

	/** Prometheus's text format, what any scraper reads. */
	static final String TEXT = "text/plain; version=0.0.4; charset=utf-8";

	/** OpenMetrics 1.0, what Prometheus asks for first. */
	static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";

	private final ObjectProvider<PrometheusMeterRegistry> registry;

	MetricsHandler(ObjectProvider<PrometheusMeterRegistry> registry) {
		this.registry = registry;
	}

	/** The exposition; {@code 404} when Prometheus export is switched off. */
	public Mono<ServerResponse> scrape(ServerRequest request) {
		PrometheusMeterRegistry prometheus = this.registry.getIfAvailable();
		if (prometheus == null) {
			return ServerResponse.status(HttpStatus.NOT_FOUND)
				.contentType(MediaType.TEXT_PLAIN)
				.bodyValue("Prometheus export is switched off (management.prometheus.metrics.export.enabled).\n");
		}
		String format = openMetrics(request) ? OPENMETRICS : TEXT;
		return Mono.fromCallable(() -> prometheus.scrape(format))
			.subscribeOn(Schedulers.boundedElastic())
			.flatMap((body) -> ServerResponse.ok()
				.header(HttpHeaders.CONTENT_TYPE, format)
				.cacheControl(CacheControl.noStore())
				.bodyValue(body));
	}

	private static boolean openMetrics(ServerRequest request) {
		return request.headers()
			.header(HttpHeaders.ACCEPT)
			.stream()
			.anyMatch((accept) -> accept.contains("application/openmetrics-text"));
	}

}
