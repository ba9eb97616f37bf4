package dev.unidler.operation;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import dev.unidler.app.ClusterException;
import dev.unidler.operation.OperationEvent.Kind;
import dev.unidler.operation.OperationEvent.StepState;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * One run of an operation: finds its subject, then runs its steps in order, and ends in
 * exactly one {@code READY} or {@code FAILURE} event within the deadline. Never signals
 * an error. Every event carries its place in the run and the time since it began.
 */
public final class OperationRun {

	private final long startedAt = now();

	private final AtomicLong sequence = new AtomicLong();

	private final AtomicReference<String> step = new AtomicReference<>(StepDescription.LOCATE.name());

	private final AtomicReference<OperationEvent.@Nullable Replicas> replicas = new AtomicReference<>();

	private volatile @Nullable OperationFailure failure;

	/** The outage the run is waiting out, if any: the deadline then says so. */
	private final AtomicReference<@Nullable ClusterException> outage = new AtomicReference<>();

	private OperationRun() {
	}

	/**
	 * The events of a run.
	 * @param deadline the longest it may take; the failure then says so
	 * @param deadlineMessage what people are told when the deadline ends it
	 * @param work the run's events, given the run to make them with; an error ends the
	 * run in a failure
	 * @param outcome told of the terminal event, for the one log line of the outcome
	 * @return the events, ending with the terminal one
	 */
	public static Flux<OperationEvent> of(Duration deadline, String deadlineMessage,
			Function<OperationRun, Flux<OperationEvent>> work, Outcome outcome) {
		return Flux.defer(() -> {
			OperationRun run = new OperationRun();
			Flux<OperationEvent> events = work.apply(run)
				.onErrorResume((error) -> Mono.fromSupplier(() -> run.failed(OperationFailure.from(error))));
			// A real total: timeout(Duration) alone would only bound the gap between
			// events.
			Mono<OperationEvent> late = Mono.delay(deadline)
				.map((tick) -> run.failed(run.deadlineFailure(deadline, deadlineMessage)));
			return Flux.merge(events, late).takeUntil(OperationEvent::isTerminal).doOnNext((event) -> {
				if (event.isTerminal()) {
					outcome.ended(event, run.failure);
				}
			});
		});
	}

	/** Hears how a run ended. */
	@FunctionalInterface
	public interface Outcome {

		/**
		 * @param end the terminal event
		 * @param failure why it failed, with the cause for the log; {@code null} when it
		 * did not
		 */
		void ended(OperationEvent end, @Nullable OperationFailure failure);

	}

	/**
	 * Runs steps in order (never in parallel), each announced, then marked done; a step
	 * that Kubernetes does not answer is run again once it does (every step looks before
	 * it writes), saying meanwhile that it waits for the API.
	 */
	public <T> Flux<OperationEvent> steps(List<? extends Step<T>> steps, T subject, Outages outages) {
		return Flux.fromIterable(steps).concatMap((step) -> step(step, subject, outages));
	}

	private <T> Flux<OperationEvent> step(Step<T> step, T subject, Outages outages) {
		AtomicReference<String> last = new AtomicReference<>(step.description());
		Flux<OperationEvent> work = outages.rideOut(() -> step.run(subject).map((progress) -> {
			if (progress.outage() != null) {
				return waitingForApi(step.name(), progress.outage());
			}
			last.set(progress.message());
			return progress(step.name(), StepState.RUNNING, progress);
		}), (error) -> waitingForApi(step.name(), error));
		return Flux.concat(Mono.fromSupplier(() -> progress(step.name(), StepState.RUNNING, step.description())), work,
				Mono.fromSupplier(() -> progress(step.name(), StepState.DONE, last.get())));
	}

	/**
	 * Kubernetes does not answer: the step stays running and says it waits for the API.
	 * @param step the step waiting
	 * @param error what the API did (or did not) answer
	 * @return the event that says so
	 */
	public OperationEvent waitingForApi(String step, ClusterException error) {
		this.outage.set(error);
		this.step.set(step);
		return event(Kind.PROGRESS, step, StepState.RUNNING, Outages.WAITING_MESSAGE, this.replicas.get(), null);
	}

	/** Whether the run is waiting for the Kubernetes API now. */
	public boolean waitingForApi() {
		return this.outage.get() != null;
	}

	/**
	 * Why the deadline ended the run: the API still not answering, if it was waiting for
	 * it, else the operation's own reason.
	 */
	private OperationFailure deadlineFailure(Duration deadline, String deadlineMessage) {
		ClusterException error = this.outage.get();
		if (error != null) {
			return new OperationFailure(FailureReason.CLUSTER_ERROR, "Kubernetes did not answer for too long to finish "
					+ "within " + Durations.describe(deadline) + ". Try again in a moment.", error);
		}
		return new OperationFailure(FailureReason.DEADLINE, deadlineMessage);
	}

	/** Progress of a step. */
	public OperationEvent progress(String step, StepState state, String message) {
		// Any progress means Kubernetes answered again.
		this.outage.set(null);
		this.step.set(step);
		return event(Kind.PROGRESS, step, state, message, this.replicas.get(), null);
	}

	/** Progress of a step, with replica counts when it has them. */
	public OperationEvent progress(String step, StepState state, Progress progress) {
		if (progress.replicas() != null) {
			this.replicas.set(progress.replicas());
		}
		return progress(step, state, progress.message());
	}

	/** The operation succeeded. */
	public OperationEvent ready(String message) {
		return event(Kind.READY, this.step.get(), StepState.DONE, message, this.replicas.get(), null);
	}

	/** The operation failed, in the step it was in. */
	public OperationEvent failed(OperationFailure failure) {
		this.failure = failure;
		return event(Kind.FAILURE, this.step.get(), StepState.FAILED, failure.getMessage(), this.replicas.get(),
				failure.reason());
	}

	/** Time since the run began. */
	public long elapsedMillis() {
		return now() - this.startedAt;
	}

	private OperationEvent event(Kind kind, String step, StepState state, String message,
			OperationEvent.@Nullable Replicas replicas, @Nullable FailureReason reason) {
		return new OperationEvent(this.sequence.incrementAndGet(), kind, step, state, message, replicas, reason,
				elapsedMillis());
	}

	private static long now() {
		return Schedulers.parallel().now(TimeUnit.MILLISECONDS);
	}

}
