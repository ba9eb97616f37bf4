package dev.unidler.operation;

import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.ConnectableFlux;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * An operation in progress (a wake, a restart), shared by everyone who asks for it. It
 * runs detached from any connection, so no app is left half done when every caller
 * leaves, and replays its events to late subscribers.
 */
public final class Operation {

	private final String id;

	private final ConnectableFlux<OperationEvent> events;

	private volatile @Nullable OperationEvent last;

	private final Sinks.Empty<Void> abandoned = Sinks.empty();

	/**
	 * An operation that starts when {@link #start() started}.
	 * @param id identifies this run among others of the same app
	 * @param run its events, ending with the terminal one
	 * @param whenEnded told when it has ended, however it ended
	 */
	public Operation(String id, Flux<OperationEvent> run, Consumer<Operation> whenEnded) {
		this.id = id;
		Flux<OperationEvent> pipeline = run.takeUntilOther(this.abandoned.asMono());
		this.events = pipeline.doOnNext((event) -> this.last = event)
			.doFinally((signal) -> whenEnded.accept(this))
			.replay();
	}

	/** Starts the run; later calls do nothing more. */
	public void start() {
		this.events.connect();
	}

	/**
	 * Stops the run where it is, cancelling what it waits for, and ends its events
	 * without a terminal one: this instance is going away and every operation is
	 * resumable.
	 */
	public void abandon() {
		this.abandoned.tryEmitEmpty();
	}

	/** Whether its terminal event has been sent. */
	public boolean isOver() {
		OperationEvent event = this.last;
		return event != null && event.isTerminal();
	}

	/** The step of the latest event, for logs. */
	public String step() {
		OperationEvent event = this.last;
		return (event != null) ? event.step() : StepDescription.LOCATE.name();
	}

	/** Identifies this run, so a reconnecting client can tell it from a later one. */
	public String id() {
		return this.id;
	}

	/**
	 * The latest event, for a page rendered while the operation runs; {@code null} before
	 * the first.
	 */
	public @Nullable OperationEvent latest() {
		return this.last;
	}

	/** Every event of the run, from the first, ending with the terminal one. */
	public Flux<OperationEvent> events() {
		return this.events;
	}

	/** The events after the one a client has already seen. */
	public Flux<OperationEvent> eventsAfter(long sequence) {
		return this.events.filter((event) -> event.sequence() > sequence);
	}

	/**
	 * Whether the run is already past finding its subject, or over: {@link #located()}
	 * would answer at once. Read from the latest event, without subscribing.
	 */
	public boolean isLocated() {
		OperationEvent event = this.last;
		return event != null && (event.isTerminal() || !StepDescription.LOCATE.name().equals(event.step()));
	}

	/**
	 * The first event past the lookup: the first step under way, or the end (the app is
	 * already awake, or nothing can be done). When it arrives, {@link #latest()} is that
	 * event.
	 */
	public Mono<OperationEvent> located() {
		return this.events.filter((event) -> event.isTerminal() || !StepDescription.LOCATE.name().equals(event.step()))
			.next();
	}

	/** The sequence of the latest event so far; {@code 0} before the first. */
	public long lastSequence() {
		OperationEvent event = this.last;
		return (event != null) ? event.sequence() : 0;
	}

	/** Whether it ended because no app answers to its host. */
	public boolean foundNoApp() {
		OperationEvent event = this.last;
		return event != null && event.failure() == FailureReason.UNKNOWN_APP;
	}

	/** Completes when the run has ended. */
	public Mono<Void> ended() {
		return this.events.then();
	}

}
