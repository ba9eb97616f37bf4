package dev.unidler.web;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

import dev.unidler.UnidlerProperties;
import dev.unidler.operation.Operation;
import dev.unidler.operation.OperationEvent;
import dev.unidler.wake.Wakes;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * An operation as Server-Sent Events, the one protocol of every stream (a wake on
 * {@code /events}, a restart on the admin API): every event carries an id
 * {@code <run>-<sequence>}, so a reconnecting client resumes where it was instead of
 * starting another run; a comment heartbeat keeps proxies from closing a quiet stream;
 * streams end when the instance begins to shut down, so clients reconnect elsewhere.
 *
 * <p>
 * Every subscriber of an operation gets the same events, so each is encoded once (its
 * JSON and its whole Server-Sent Event) and shared: a wake with a thousand waiting pages
 * writes the same bytes a thousand times instead of building and encoding them a thousand
 * times.
 */
@Component
public final class EventStreams {

	/** The header a reconnecting {@code EventSource} sends. */
	public static final String LAST_EVENT_ID = "Last-Event-ID";

	private static final Object END = new Object();

	/**
	 * How many encoded events are kept. When full, it starts over: a miss only costs an
	 * encoding.
	 */
	static final int ENCODED_EVENTS = 4096;

	private final Map<String, ServerSentEvent<String>> encoded = new ConcurrentHashMap<>();

	private final JsonMapper json;

	private final Duration heartbeat;

	private final Duration retry;

	private final Mono<Void> stopping;

	EventStreams(UnidlerProperties properties, Wakes wakes, JsonMapper json) {
		this.json = json;
		this.heartbeat = properties.events().heartbeat();
		this.retry = properties.events().retry();
		this.stopping = wakes.stopping();
	}

	/**
	 * Answers with the events of an operation.
	 * @param operation the operation
	 * @param lastEventId what a reconnecting client already has, if anything
	 * @return a {@code 200} event stream, never cached
	 */
	public Mono<ServerResponse> respond(Operation operation, @Nullable String lastEventId) {
		return respond(operation, lastEventId, UnaryOperator.identity());
	}

	/**
	 * Answers with the events of an operation, the stream going through {@code around}
	 * (to count its clients).
	 */
	Mono<ServerResponse> respond(Operation operation, @Nullable String lastEventId,
			UnaryOperator<Flux<ServerSentEvent<?>>> around) {
		return ServerResponse.ok()
			.contentType(MediaType.TEXT_EVENT_STREAM)
			.headers(NoStore::apply)
			.header("X-Accel-Buffering", "no")
			.body(around.apply(events(operation, seenSequence(operation, lastEventId))), ServerSentEvent.class);
	}

	Flux<ServerSentEvent<?>> events(Operation operation, long after) {
		Flux<Object> events = operation.eventsAfter(after)
			.<Object>map((event) -> toSse(operation, event))
			.concatWithValues(END);
		// A client that reads nothing for a while needs no queue of heartbeats, and the
		// interval must not overflow and end its stream.
		Flux<Object> heartbeats = Flux.interval(this.heartbeat)
			.onBackpressureDrop()
			.map((tick) -> ServerSentEvent.builder().comment("still working").build());
		return Flux.merge(events, heartbeats)
			.takeWhile((item) -> item != END)
			.takeUntilOther(this.stopping)
			.map((item) -> (ServerSentEvent<?>) item);
	}

	private ServerSentEvent<String> toSse(Operation operation, OperationEvent event) {
		String id = operation.id() + "-" + event.sequence();
		ServerSentEvent<String> sse = this.encoded.get(id);
		if (sse == null) {
			if (this.encoded.size() >= ENCODED_EVENTS) {
				this.encoded.clear();
			}
			sse = ServerSentEvent.builder(this.json.writeValueAsString(EventData.of(operation.id(), event)))
				.id(id)
				.event(EventData.eventName(event))
				.retry(this.retry)
				.build();
			this.encoded.putIfAbsent(id, sse);
		}
		return sse;
	}

	/**
	 * What a reconnecting client already has of this run; nothing if it was another run,
	 * or a sequence this run has not reached (the client cannot have seen it, so resuming
	 * after it would wait for events that may never come).
	 */
	static long seenSequence(Operation operation, @Nullable String lastEventId) {
		String prefix = operation.id() + "-";
		if (lastEventId == null || !lastEventId.startsWith(prefix)) {
			return 0;
		}
		try {
			long seen = Long.parseLong(lastEventId.substring(prefix.length()));
			return (seen > 0 && seen <= operation.lastSequence()) ? seen : 0;
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

}
