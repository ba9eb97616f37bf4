package dev.unidler.web;

import java.time.Duration;

import dev.unidler.UnidlerProperties;
import dev.unidler.app.Cluster;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Takes the instance out of service before it stops. On {@code SIGTERM} Spring Boot's
 * shutdown hook closes the context; the {@link ContextClosedEvent} comes before any
 * lifecycle stops, so from that moment {@code /healthz} answers {@code 503} (the
 * readiness probe fails, the Service and the ingress drop the pod) and new event streams
 * get {@code 503} with {@code Retry-After}, while everything else is served as before.
 * The closing thread then waits {@code unidler.shutdown.drain} before the lifecycle goes
 * on: only after it do open streams end, wakes in flight get their time to finish and
 * Reactor Netty stop accepting connections (graceful shutdown), so requests that were
 * already on their way still reach a server that answers.
 */
@Component
final class Draining implements ApplicationListener<ContextClosedEvent> {

	private static final Logger logger = LoggerFactory.getLogger(Draining.class);

	private final Duration drain;

	private volatile boolean draining;

	private final Cluster cluster;

	Draining(UnidlerProperties properties, Cluster cluster) {
		this.drain = properties.shutdown().drain();
		this.cluster = cluster;
	}

	@Override
	public void onApplicationEvent(ContextClosedEvent event) {
		this.draining = true;
		if (!this.drain.isPositive()) {
			return;
		}
		logger.info("Shutting down: /healthz answers 503; still serving for {} ms before stopping",
				this.drain.toMillis());
		try {
			// The closing thread (Spring Boot's shutdown hook), never an event loop.
			Thread.sleep(this.drain);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	boolean isDraining() {
		return this.draining;
	}

	/**
	 * {@code /healthz}: {@code 200} while in service; {@code 503} until the cluster's
	 * cache has synced (a lookup before would call a known app unknown) and once shutting
	 * down.
	 */
	Mono<ServerResponse> health(ServerRequest request) {
		String state = this.draining ? "shutting down\n" : this.cluster.isSynced() ? "ok\n" : "starting\n";
		return ServerResponse.status("ok\n".equals(state) ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
			.contentType(MediaType.TEXT_PLAIN)
			.headers(NoStore::apply)
			.bodyValue(state);
	}

	/**
	 * A handler that refuses new requests with {@code 503} and {@code Retry-After} once
	 * shutting down; a stream opened now would only be cut when the instance stops.
	 */
	HandlerFunction<ServerResponse> refusingWhileDraining(HandlerFunction<ServerResponse> handler) {
		return (request) -> this.draining ? ServerResponse.status(HttpStatus.SERVICE_UNAVAILABLE)
			.contentType(MediaType.TEXT_PLAIN)
			.headers(NoStore::apply)
			.header(HttpHeaders.RETRY_AFTER, WaitingPageHandler.RETRY_AFTER_SECONDS)
			.bodyValue("This instance is shutting down. Retry in a few seconds.\n") : handler.handle(request);
	}

}
