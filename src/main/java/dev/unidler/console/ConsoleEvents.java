package dev.unidler.console;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.unidler.UnidlerProperties;
import dev.unidler.access.Caller;
import dev.unidler.access.Callers;
import dev.unidler.fleet.AppStatus;
import dev.unidler.fleet.Fleet;
import dev.unidler.fleet.FleetChange;
import dev.unidler.wake.Wakes;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * {@code GET /console/events}: the console's one stream. First {@code snapshot}, every
 * app the caller sees; then {@code app} for each app whose status changed, and
 * {@code gone} for one the caller no longer sees (deleted, unlabelled, or its opt-in
 * withdrawn). Changes come from the {@link Fleet} as they happen.
 *
 * <p>
 * A client that falls more than {@link #BACKLOG} changes behind is cut off; its
 * {@code EventSource} reconnects and starts again from a snapshot, which is cheaper than
 * a queue without end.
 */
@Component
final class ConsoleEvents {

	static final int BACKLOG = 10_000;

	private final Fleet fleet;

	private final ConsoleApps apps;

	private final JsonMapper json;

	private final Duration heartbeat;

	private final Duration retry;

	private final Mono<Void> stopping;

	ConsoleEvents(Fleet fleet, ConsoleApps apps, JsonMapper json, UnidlerProperties properties, Wakes wakes) {
		this.fleet = fleet;
		this.apps = apps;
		this.json = json;
		this.heartbeat = properties.events().heartbeat();
		this.retry = properties.events().retry();
		this.stopping = wakes.stopping();
	}

	Mono<ServerResponse> stream(ServerRequest request) {
		return Callers.current()
			.flatMap((caller) -> ServerResponse.ok()
				.contentType(MediaType.TEXT_EVENT_STREAM)
				.header("Cache-Control", "no-store")
				.header("X-Accel-Buffering", "no")
				.body(events(caller), ServerSentEvent.class))
			.switchIfEmpty(ServerResponse.status(HttpStatus.UNAUTHORIZED)
				.contentType(MediaType.TEXT_PLAIN)
				.bodyValue("Sign in to the console first.\n"));
	}

	Flux<ServerSentEvent<String>> events(Caller caller) {
		return Flux.defer(() -> {
			// What this client has been sent, so that an app it may no longer see is
			// taken away, and one it never saw is never named.
			Set<String> sent = new HashSet<>();
			Flux<ServerSentEvent<String>> changes = this.fleet.changes()
				.onBackpressureBuffer(BACKLOG)
				.concatMap((change) -> Mono.justOrEmpty(change(caller, change, sent)));
			Mono<ServerSentEvent<String>> snapshot = this.fleet.ready().then(Mono.fromSupplier(() -> {
				List<ConsoleApps.AppView> visible = this.fleet.snapshot()
					.stream()
					.map((app) -> this.apps.view(caller, app))
					.flatMap(Optional::stream)
					.toList();
				synchronized (sent) {
					sent.clear();
					visible.forEach((view) -> sent.add(view.id()));
				}
				return sse("snapshot", new Snapshot(caller.name(), visible));
			}));
			Flux<ServerSentEvent<String>> heartbeats = Flux.interval(this.heartbeat)
				.onBackpressureDrop()
				.map((tick) -> ServerSentEvent.<String>builder().comment("still here").build());
			// Changes first: one that lands while the snapshot is taken is sent before
			// it,
			// and the snapshot, taken later, is at least as new.
			return Flux.merge(changes, snapshot, heartbeats).takeUntilOther(this.stopping);
		});
	}

	private Optional<ServerSentEvent<String>> change(Caller caller, FleetChange change, Set<String> sent) {
		AppStatus status = change.status();
		Optional<ConsoleApps.AppView> view = (status != null) ? this.apps.view(caller, status) : Optional.empty();
		synchronized (sent) {
			if (view.isPresent()) {
				sent.add(change.id());
				return Optional.of(sse("app", view.get()));
			}
			if (sent.remove(change.id())) {
				return Optional.of(sse("gone", new Gone(change.id())));
			}
		}
		return Optional.empty();
	}

	private ServerSentEvent<String> sse(String name, Object data) {
		return ServerSentEvent.builder(this.json.writeValueAsString(data)).event(name).retry(this.retry).build();
	}

	/**
	 * Every app the caller sees.
	 *
	 * @param caller who is signed in
	 * @param apps the apps, by namespace and name
	 */
	record Snapshot(String caller, List<ConsoleApps.AppView> apps) {

	}

	/**
	 * An app the caller no longer sees.
	 *
	 * @param id its id
	 */
	record Gone(String id) {

	}

}
