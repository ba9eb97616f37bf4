package dev.unidler.wake;

import java.util.List;

import dev.unidler.UnidlerProperties;
import dev.unidler.app.AppKey;
import dev.unidler.operation.AppClaims;
import dev.unidler.operation.Durations;
import dev.unidler.operation.FailureReason;
import dev.unidler.operation.OperationEvent;
import dev.unidler.operation.OperationEvent.Kind;
import dev.unidler.operation.OperationEvent.StepState;
import dev.unidler.operation.OperationFailure;
import dev.unidler.operation.OperationRun;
import dev.unidler.operation.StepDescription;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

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

	private final AppClaims claims;

	WakePipeline(AppLocator locator, WakeSteps steps, AppClaims claims, UnidlerProperties properties) {
		this.locator = locator;
		this.claims = claims;
		this.steps = steps.steps();
		this.settings = properties.wake();
	}

	Flux<OperationEvent> run(AppKey key) {
		String deadline = "The app did not start within " + Durations.describe(this.settings.deadline())
				+ ". Try again, or ask the platform team.";
		return OperationRun.of(this.settings.deadline(), deadline,
				(run) -> Flux.concat(Mono.fromSupplier(
						() -> run.progress(StepDescription.LOCATE.name(), StepState.RUNNING, "Looking for the app")),
						this.locator.locate(key).flatMapMany((located) -> wake(run, located))),
				(end, failure) -> log(key, end, failure));
	}

	private Flux<OperationEvent> wake(OperationRun run, AppLocator.Located located) {
		App app = located.app();
		String locate = StepDescription.LOCATE.name();
		if (located.awake()) {
			return Flux.just(run.progress(locate, StepState.DONE, "The app is already awake"),
					run.ready("The app is ready"));
		}
		// Another operation (a restart) may be changing the app: wait for it, then wake.
		String claimed = app.namespace() + "/" + app.deployment();
		Flux<OperationEvent> waitForOthers = Mono.justOrEmpty(this.claims.holder(claimed))
			.map((holder) -> run.progress(locate, StepState.RUNNING, "Waiting for a " + holder + " of the app to end"))
			.flux();
		return Flux.concat(waitForOthers, Flux.usingWhen(this.claims.claim(claimed, "wake"),
				(claim) -> Flux.concat(Mono.fromSupplier(() -> run.progress(locate, StepState.DONE, "Found the app")),
						run.steps(this.steps, app), Mono.fromSupplier(() -> run.ready("The app is ready"))),
				(claim) -> Mono.fromRunnable(claim::release)));
	}

	/** One line per outcome; a failure's cause is logged here, once. */
	private static void log(AppKey key, OperationEvent event, @Nullable OperationFailure failure) {
		if (event.kind() == Kind.READY) {
			logger.info("Woke {} in {} ms", key, event.elapsedMillis());
		}
		else if (event.kind() == Kind.FAILURE) {
			// Shutting down is expected, and the run is finished by another instance: no
			// trace.
			if (failure != null && failure.getCause() != null && failure.reason() != FailureReason.SHUTTING_DOWN) {
				logger.warn("Wake of {} failed in step {}: {}", key, event.step(), event.message(), failure.getCause());
			}
			else {
				logger.info("Wake of {} failed in step {}: {}", key, event.step(), event.message());
			}
		}
	}

}
