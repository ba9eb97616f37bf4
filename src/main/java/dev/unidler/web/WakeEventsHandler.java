package dev.unidler.web;

import dev.unidler.wake.Wakes;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Streams the wake of the request's app as Server-Sent Events ({@link EventStreams}): a
 * reconnecting {@code EventSource} resumes the same wake instead of starting a second.
 */
@Component
final class WakeEventsHandler {

	private final AppRequests requests;

	private final Wakes wakes;

	private final EventStreams streams;

	private final WaitingClients waiting;

	WakeEventsHandler(AppRequests requests, Wakes wakes, EventStreams streams, WaitingClients waiting) {
		this.requests = requests;
		this.wakes = wakes;
		this.streams = streams;
		this.waiting = waiting;
	}

	Mono<ServerResponse> stream(ServerRequest request) {
		return this.requests.forApp(request, (key) -> this.streams.respond(this.wakes.wake(key),
				request.headers().firstHeader(EventStreams.LAST_EVENT_ID), this.waiting::counted));
	}

}
