package dev.unidler.wake;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import dev.unidler.UnidlerProperties;
import dev.unidler.wake.WakeEvent.Kind;
import dev.unidler.wake.WakeEvent.StepState;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.stereotype.Component;

/**
 * One run of a wake: find the app, then its steps in order, ending in exactly one
 * {@code READY} or {@code FAILURE} event within the deadline. Never signals an error.
 * Finding the app and every step ride out API outages ({@link Outages}); the step stays
 * running meanwhile.
 */
@Component
final class WakePipeline {

	private static final Logger logger = LoggerFactory.getLogger(WakePipeline.class);

	private final AppLocator locator;

	private final List<WakeStep> steps;

	private final Outages outages;

	private final UnidlerProperties.Wake settings;

	WakePipeline(AppLocator locator, WakeSteps steps, Outages outages, UnidlerProperties properties) {
		this.locator = locator;
		this.steps = steps.steps();
		this.outages = outages;
		this.settings = properties.wake();
	}

	Flux<WakeEvent> run(AppKey key) {
		return Flux.defer(() -> {
			Run run = new Run(key);
			Flux<WakeEvent> located = this.outages
				.<Object>rideOut(() -> this.locator.locate(key), (error) -> run.waitingForApi(WakeSteps.LOCATE, error))
				.concatMap((outcome) -> (outcome instanceof AppLocator.Located found) ? wake(run, found)
						: Flux.just((WakeEvent) outcome));
			Flux<WakeEvent> work = Flux
				.concat(Mono.fromSupplier(
						() -> run.progress(WakeSteps.LOCATE, StepState.RUNNING, "Looking for the app")), located)
				.onErrorResume((error) -> Mono.fromSupplier(() -> run.failed(WakeFailure.from(error))));
			Mono<WakeEvent> deadline = Mono.delay(this.settings.deadline())
				.map((tick) -> run.failed(run.deadlineFailure(this.settings)));
			return Flux.merge(work, deadline).takeUntil(WakeEvent::isTerminal);
		});
	}

	private Flux<WakeEvent> wake(Run run, AppLocator.Located located) {
		App app = located.app();
		if (located.awake()) {
			return Flux.just(run.progress(WakeSteps.LOCATE, StepState.DONE, "The app is already awake"),
					run.ready(false));
		}
		Flux<WakeEvent> found = Flux.just(run.progress(WakeSteps.LOCATE, StepState.DONE, "Found the app"));
		Flux<WakeEvent> steps = Flux.fromIterable(this.steps).concatMap((step) -> runStep(run, step, app));
		return Flux.concat(found, steps, Mono.fromSupplier(() -> run.ready(true)));
	}

	private Flux<WakeEvent> runStep(Run run, WakeStep step, App app) {
		AtomicReference<String> last = new AtomicReference<>(step.description());
		Flux<WakeEvent> work = this.outages.rideOut(
				() -> step.run(app)
					.doOnNext((progress) -> last.set(progress.message()))
					.map((progress) -> run.progress(step.name(), StepState.RUNNING, progress)),
				(error) -> run.waitingForApi(step.name(), error));
		return Flux.concat(Mono.fromSupplier(() -> run.progress(step.name(), StepState.RUNNING, step.description())),
				work, Mono.fromSupplier(() -> run.progress(step.name(), StepState.DONE, last.get())));
	}

	/**
	 * The state of one run: the step it is in, for failures, when it began, for the
	 * elapsed time every event carries, and the outage it is waiting out, if any. Logs
	 * the outcome, once, on one line.
	 */
	private static final class Run {

		private final AppKey key;

		private final long startedAt = now();

		private final AtomicLong sequence = new AtomicLong();

		private final AtomicReference<String> step = new AtomicReference<>(WakeSteps.LOCATE);

		private final AtomicReference<WakeEvent.@Nullable Replicas> replicas = new AtomicReference<>();

		private final AtomicReference<@Nullable ClusterException> outage = new AtomicReference<>();

		Run(AppKey key) {
			this.key = key;
		}

		WakeEvent progress(String step, StepState state, String message) {
			// Any progress means Kubernetes answered again.
			this.outage.set(null);
			this.step.set(step);
			return event(Kind.PROGRESS, step, state, message, this.replicas.get(), null);
		}

		WakeEvent progress(String step, StepState state, Progress progress) {
			if (progress.replicas() != null) {
				this.replicas.set(progress.replicas());
			}
			return progress(step, state, progress.message());
		}

		WakeEvent waitingForApi(String step, ClusterException error) {
			logger.info("Wake of {} waits for the Kubernetes API in step {}: {}", safeKey(), step,
					LogSafe.cause(error));
			this.outage.set(error);
			this.step.set(step);
			return event(Kind.PROGRESS, step, StepState.RUNNING, Outages.WAITING_MESSAGE, this.replicas.get(), null);
		}

		/**
		 * Why the deadline ended the wake: the API still not answering, if it was waiting
		 * for it, else an app that did not start in time.
		 */
		WakeFailure deadlineFailure(UnidlerProperties.Wake settings) {
			String limit = Durations.describe(settings.deadline());
			ClusterException error = this.outage.get();
			if (error != null) {
				return new WakeFailure(FailureReason.CLUSTER_ERROR,
						"Kubernetes did not answer for too long to wake the app within " + limit
								+ ". Try again in a moment.",
						error);
			}
			return new WakeFailure(FailureReason.DEADLINE,
					"The app did not start within " + limit + ". Try again, or ask the platform team.");
		}

		WakeEvent ready(boolean woke) {
			if (woke) {
				logger.info("Woke {} in {} ms", safeKey(), now() - this.startedAt);
			}
			else {
				logger.info("{} was already awake", safeKey());
			}
			return event(Kind.READY, this.step.get(), StepState.DONE, "The app is ready", this.replicas.get(), null);
		}

		WakeEvent failed(WakeFailure failure) {
			long elapsed = now() - this.startedAt;
			String reason = failure.reason().name().toLowerCase(Locale.ROOT).replace('_', '-');
			Throwable cause = failure.getCause();
			if (cause == null) {
				logger.info("Wake of {} failed ({}) in step {} after {} ms: {}", safeKey(), reason, this.step.get(),
						elapsed, LogSafe.of(failure.getMessage()));
			}
			else {
				boolean expected = failure.reason() != FailureReason.CLUSTER_ERROR;
				String line = "Wake of {} failed ({}) in step {} after {} ms: {} Cause: {}";
				Object[] values = { safeKey(), reason, this.step.get(), elapsed, LogSafe.of(failure.getMessage()),
						LogSafe.cause(cause) };
				if (expected) {
					logger.info(line, values);
				}
				else {
					logger.warn(line, values);
				}
				// The stack trace, for debugging only: it is not one line.
				logger.debug("Stack trace of the failed wake of {}", safeKey(), cause);
			}
			return event(Kind.FAILURE, this.step.get(), StepState.FAILED, failure.getMessage(), this.replicas.get(),
					failure.reason());
		}

		private String safeKey() {
			return LogSafe.of(this.key);
		}

		private WakeEvent event(Kind kind, String step, StepState state, String message,
				WakeEvent.@Nullable Replicas replicas, @Nullable FailureReason reason) {
			return new WakeEvent(this.sequence.incrementAndGet(), kind, step, state, message, replicas, reason,
					now() - this.startedAt);
		}

		private static long now() {
			return Schedulers.parallel().now(TimeUnit.MILLISECONDS);
		}

	}

}
