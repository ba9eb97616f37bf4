package dev.unidler.wake;

import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.ConnectableFlux;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * A wake in progress, shared by everyone who asks for the same app. It runs detached from
 * any connection and replays its events to late subscribers.
 */
public final class Wake {

	private final String id;

	private final AppKey key;

	private final ConnectableFlux<WakeEvent> events;

	private volatile @Nullable WakeEvent last;

	private final Sinks.Empty<Void> abandoned = Sinks.empty();

	Wake(String id, AppKey key, Flux<WakeEvent> pipeline, Consumer<Wake> whenEnded) {
		this.id = id;
		this.key = key;
		this.events = pipeline.takeUntilOther(this.abandoned.asMono())
			.doOnNext((event) -> this.last = event)
			.doFinally((signal) -> whenEnded.accept(this))
			.replay();
	}

	void start() {
		this.events.connect();
	}

	/**
	 * Stops the wake where it is, cancelling what it waits for, and ends its events
	 * without a terminal one: this instance is going away and the wake is resumable.
	 */
	void abandon() {
		this.abandoned.tryEmitEmpty();
	}

	/** Whether its terminal event has been sent. */
	boolean isOver() {
		WakeEvent event = this.last;
		return event != null && event.isTerminal();
	}

	/** The step of the latest event, for logs. */
	String step() {
		WakeEvent event = this.last;
		return (event != null) ? event.step() : WakeSteps.LOCATE;
	}

	/** Identifies this run, so a reconnecting client can tell it from a later one. */
	public String id() {
		return this.id;
	}

	public AppKey key() {
		return this.key;
	}

	/** Every event of the wake, from the first, ending with the terminal one. */
	public Flux<WakeEvent> events() {
		return this.events;
	}

	/** The events after the one a client has already seen. */
	public Flux<WakeEvent> eventsAfter(long sequence) {
		return this.events.filter((event) -> event.sequence() > sequence);
	}

	/**
	 * The first event that says more than "looking": that the app was found, is already
	 * awake, or cannot be woken.
	 */
	public Mono<WakeEvent> located() {
		return this.events.filter((event) -> !event.isLocating()).next();
	}

	/** Whether the wake ended because no app answers to its host. */
	boolean foundNoApp() {
		WakeEvent event = this.last;
		return event != null && event.failure() == FailureReason.UNKNOWN_APP;
	}

	Mono<Void> ended() {
		return this.events.then();
	}

}
