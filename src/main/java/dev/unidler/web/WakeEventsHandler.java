package dev.unidler.web;

import java.time.Duration;

import dev.unidler.UnidlerProperties;
import dev.unidler.wake.AppKey;
import dev.unidler.wake.Wake;
import dev.unidler.wake.WakeEvent;
import dev.unidler.wake.Wakes;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Streams the wake of the request's app as Server-Sent Events. Every event carries an id
 * {@code <wake>-<sequence>}, so a reconnecting {@code EventSource} resumes where it was
 * instead of starting a second wake; a comment heartbeat keeps proxies from closing a
 * quiet stream.
 */
@Component
final class WakeEventsHandler {

	static final String LAST_EVENT_ID = "Last-Event-ID";

	private static final Object END = new Object();

	private final AppRequests requests;

	private final Wakes wakes;

	private final Duration heartbeat;

	private final Duration retry;

	WakeEventsHandler(AppRequests requests, Wakes wakes, UnidlerProperties properties) {
		this.requests = requests;
		this.wakes = wakes;
		this.heartbeat = properties.events().heartbeat();
		this.retry = properties.events().retry();
	}

	Mono<ServerResponse> stream(ServerRequest request) {
		return this.requests.forApp(request, (key) -> stream(key, request.headers().firstHeader(LAST_EVENT_ID)));
	}

	private Mono<ServerResponse> stream(AppKey key, @Nullable String lastEventId) {
		Wake wake = this.wakes.wake(key);
		return ServerResponse.ok()
			.contentType(MediaType.TEXT_EVENT_STREAM)
			.headers(NoStore::apply)
			.header("X-Accel-Buffering", "no")
			.body(events(wake, seenSequence(wake, lastEventId)), ServerSentEvent.class);
	}

	Flux<ServerSentEvent<?>> events(Wake wake, long after) {
		Flux<Object> events = wake.eventsAfter(after).<Object>map((event) -> toSse(wake, event)).concatWithValues(END);
		Flux<Object> heartbeats = Flux.interval(this.heartbeat)
			.map((tick) -> ServerSentEvent.builder().comment("still waking").build());
		return Flux.merge(events, heartbeats)
			.takeWhile((item) -> item != END)
			.takeUntilOther(this.wakes.stopping())
			.map((item) -> (ServerSentEvent<?>) item);
	}

	private ServerSentEvent<EventData> toSse(Wake wake, WakeEvent event) {
		return ServerSentEvent.builder(EventData.of(wake.id(), event))
			.id(wake.id() + "-" + event.sequence())
			.event(EventData.eventName(event))
			.retry(this.retry)
			.build();
	}

	/**
	 * What a reconnecting client already has of this wake; nothing if it was another
	 * wake, or a sequence this wake has not reached (the client cannot have seen it, so
	 * resuming after it would wait for events that may never come).
	 */
	static long seenSequence(Wake wake, @Nullable String lastEventId) {
		String prefix = wake.id() + "-";
		if (lastEventId == null || !lastEventId.startsWith(prefix)) {
			return 0;
		}
		try {
			long seen = Long.parseLong(lastEventId.substring(prefix.length()));
			return (seen > 0 && seen <= wake.lastSequence()) ? seen : 0;
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

}
