package dev.unidler.wake;

import java.util.List;
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
 */
@Component
final class WakePipeline {

	private static final Logger logger = LoggerFactory.getLogger(WakePipeline.class);

	private final AppLocator locator;

	private final List<WakeStep> steps;

	private final UnidlerProperties.Wake settings;

	WakePipeline(AppLocator locator, WakeSteps steps, UnidlerProperties properties) {
		this.locator = locator;
		this.steps = steps.steps();
		this.settings = properties.wake();
	}

	Flux<WakeEvent> run(AppKey key) {
		return Flux.defer(() -> {
			Run run = new Run(key);
			Flux<WakeEvent> work = Flux
				.concat(Mono
					.fromSupplier(() -> run.progress(WakeSteps.LOCATE, StepState.RUNNING, "Looking for the app")),
						this.locator.locate(key).flatMapMany((located) -> wake(run, located)))
				.onErrorResume((error) -> Mono.fromSupplier(() -> run.failed(WakeFailure.from(error))));
			Mono<WakeEvent> deadline = Mono.delay(this.settings.deadline())
				.map((tick) -> run.failed(new WakeFailure(FailureReason.DEADLINE, "The app did not start within "
						+ Durations.describe(this.settings.deadline()) + ". Try again, or ask the platform team.")));
			return Flux.merge(work, deadline).takeUntil(WakeEvent::isTerminal);
		});
	}

	private Flux<WakeEvent> wake(Run run, AppLocator.Located located) {
		App app = located.app();
		if (located.awake()) {
			return Flux.just(run.progress(WakeSteps.LOCATE, StepState.DONE, "The app is already awake"), run.ready());
		}
		Flux<WakeEvent> found = Flux.just(run.progress(WakeSteps.LOCATE, StepState.DONE, "Found the app"));
		Flux<WakeEvent> steps = Flux.fromIterable(this.steps).concatMap((step) -> runStep(run, step, app));
		return Flux.concat(found, steps, Mono.fromSupplier(run::ready));
	}

	private Flux<WakeEvent> runStep(Run run, WakeStep step, App app) {
		AtomicReference<String> last = new AtomicReference<>(step.description());
		return Flux.concat(Mono.fromSupplier(() -> run.progress(step.name(), StepState.RUNNING, step.description())),
				step.run(app)
					.doOnNext((progress) -> last.set(progress.message()))
					.map((progress) -> run.progress(step.name(), StepState.RUNNING, progress)),
				Mono.fromSupplier(() -> run.progress(step.name(), StepState.DONE, last.get())));
	}

	/**
	 * The state of one run: the step it is in, for failures, and when it began, for the
	 * elapsed time every event carries.
	 */
	private static final class Run {

		private final AppKey key;

		private final long startedAt = now();

		private final AtomicLong sequence = new AtomicLong();

		private final AtomicReference<String> step = new AtomicReference<>(WakeSteps.LOCATE);

		private final AtomicReference<WakeEvent.@Nullable Replicas> replicas = new AtomicReference<>();

		Run(AppKey key) {
			this.key = key;
		}

		WakeEvent progress(String step, StepState state, String message) {
			this.step.set(step);
			return event(Kind.PROGRESS, step, state, message, this.replicas.get(), null);
		}

		WakeEvent progress(String step, StepState state, Progress progress) {
			if (progress.replicas() != null) {
				this.replicas.set(progress.replicas());
			}
			return progress(step, state, progress.message());
		}

		WakeEvent ready() {
			logger.info("Woke {} in {} ms", this.key, now() - this.startedAt);
			return event(Kind.READY, this.step.get(), StepState.DONE, "The app is ready", this.replicas.get(), null);
		}

		WakeEvent failed(WakeFailure failure) {
			if (failure.getCause() != null) {
				logger.warn("Wake of {} failed in step {}: {}", this.key, this.step.get(), failure.getMessage(),
						failure.getCause());
			}
			else {
				logger.info("Wake of {} failed in step {}: {}", this.key, this.step.get(), failure.getMessage());
			}
			return event(Kind.FAILURE, this.step.get(), StepState.FAILED, failure.getMessage(), this.replicas.get(),
					failure.reason());
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
