package dev.unidler.restart;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

import dev.unidler.UnidlerProperties;
import dev.unidler.app.AppEvent.Regarding;
import dev.unidler.operation.AppClaims;
import dev.unidler.operation.AppLeases;
import dev.unidler.operation.Durations;
import dev.unidler.operation.FailureReason;
import dev.unidler.operation.LogSafe;
import dev.unidler.operation.OperationEvent;
import dev.unidler.operation.OperationEvent.Kind;
import dev.unidler.operation.OperationEvent.StepState;
import dev.unidler.operation.OperationFailure;
import dev.unidler.operation.OperationKind;
import dev.unidler.operation.OperationListeners;
import dev.unidler.operation.OperationRun;
import dev.unidler.operation.OperationSubject;
import dev.unidler.operation.Outages;
import dev.unidler.operation.Step;
import dev.unidler.operation.StepDescription;
import dev.unidler.operation.WorkloadEvents;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

/**
 * One run of a restart: look at the workload again (it may have been idled or deleted
 * since it was asked for), claim it against other operations, then the steps in order,
 * ending in exactly one {@code READY} or {@code FAILURE} event within the deadline.
 */
@Component
final class RestartPipeline {

	private static final Logger logger = LoggerFactory.getLogger(RestartPipeline.class);

	private final RestartLocator locator;

	private final List<Step<Restart>> steps;

	private final AppClaims claims;

	private final RestartProperties settings;

	private final Outages outages;

	private final AppLeases leases;

	private final WorkloadEvents events;

	private final OperationListeners listeners;

	private final String lookupLabel;

	RestartPipeline(RestartLocator locator, List<Step<Restart>> steps, AppClaims claims, AppLeases leases,
			Outages outages, WorkloadEvents events, OperationListeners listeners, UnidlerProperties properties,
			RestartProperties settings) {
		this.events = events;
		this.listeners = listeners;
		this.lookupLabel = properties.labels().lookup();
		this.leases = leases;
		this.outages = outages;
		this.locator = locator;
		this.steps = List.copyOf(steps);
		this.claims = claims;
		this.settings = settings;
	}

	/** Every step, as a client lists them. */
	List<StepDescription> describe() {
		return List.of(StepDescription.LOCATE, describe(this.steps.get(0)), describe(this.steps.get(1)));
	}

	private static StepDescription describe(Step<Restart> step) {
		return new StepDescription(step.name(), step.description());
	}

	/**
	 * A restart, stamped when it starts: a follow-up run gets a stamp of its own, so its
	 * template change is a new rollout.
	 */
	Flux<OperationEvent> run(String id, Workload workload, String reason, String requestedBy) {
		OperationSubject subject = new OperationSubject(id, OperationKind.RESTART,
				workload.labels().get(this.lookupLabel), regarding(workload.ref()), requestedBy, reason);
		return this.listeners.observe(() -> subject, Flux.defer(() -> run(
				new Restart(workload, Instant.now().truncatedTo(ChronoUnit.MILLIS).toString(), reason, requestedBy))));
	}

	private Flux<OperationEvent> run(Restart restart) {
		String deadline = "The rollout did not finish within " + Durations.describe(this.settings.deadline())
				+ ". Kubernetes goes on with it; check the app's pods.";
		String locate = StepDescription.LOCATE.name();
		String app = restart.ref().namespace() + "/" + restart.ref().name();
		Optional<AppClaims.Claim> claim = this.claims.tryClaim(app, OperationKind.RESTART);
		return OperationRun.of(this.settings.deadline(), deadline, (run) -> {
			if (claim.isEmpty()) {
				String holder = this.claims.holder(app).orElse(OperationKind.WAKE).done();
				return Flux.error(new OperationFailure(FailureReason.BUSY,
						"The application is being " + holder + "; restart it once that ends."));
			}
			return this.leases.tryAcquire(app, OperationKind.RESTART).flatMapMany((attempt) -> {
				if (attempt.lease() == null) {
					return Flux.error(new OperationFailure(FailureReason.BUSY,
							"The application is being "
									+ attempt.holderKind().map(OperationKind::done).orElse("changed")
									+ " by another unidler replica; restart it once that ends."));
				}
				return Flux.usingWhen(Mono.just(attempt.lease()),
						(lease) -> Flux.concat(
								Mono.fromSupplier(() -> run.progress(locate, StepState.RUNNING, "Looking at the app")),
								this.locator.locate(new RestartTarget.Named(restart.ref()))
									.map((found) -> run.progress(locate, StepState.DONE, "Found " + restart.ref())),
								run.steps(this.steps, restart, this.outages),
								Mono.fromSupplier(() -> run.ready("Restarted: every pod is new and available"))),
						AppLeases.AppLease::release);
			});
		}, (end, failure) -> {
			log(restart, end, failure);
			this.events.restartEnded(regarding(restart), restart.requestedBy(), end);
		})
			// Released before the end is known to anyone, so that a restart queued behind
			// this one finds the app free.
			.doOnNext((event) -> {
				if (Restarts.isUnderWay(event)) {
					this.events.restartRequested(regarding(restart), restart.requestedBy(), restart.reason());
				}
				if (event.isTerminal()) {
					claim.ifPresent(AppClaims.Claim::release);
				}
			})
			.doFinally((signal) -> claim.ifPresent(AppClaims.Claim::release));
	}

	private static Regarding regarding(Restart restart) {
		return regarding(restart.ref());
	}

	private static Regarding regarding(WorkloadRef ref) {
		return Regarding.workload(ref.kind(), ref.namespace(), ref.name());
	}

	/**
	 * One line per outcome, with who asked and why; a failure's cause is logged here,
	 * once.
	 */
	private static void log(Restart restart, OperationEvent event, @Nullable OperationFailure failure) {
		if (event.kind() == Kind.READY) {
			logger.info("Restarted {} in {} ms, asked by {}: {}", restart.ref(), event.elapsedMillis(),
					restart.requestedBy(), LogSafe.of(restart.reason()));
		}
		else if (event.kind() == Kind.FAILURE) {
			// Shutting down is expected, and the run is finished by another instance: no
			// trace.
			if (failure != null && failure.getCause() != null && failure.reason() != FailureReason.SHUTTING_DOWN) {
				logger.warn("Restart of {} failed in step {}: {}", restart.ref(), event.step(), event.message(),
						failure.getCause());
			}
			else {
				logger.info("Restart of {} failed in step {}: {}", restart.ref(), event.step(), event.message());
			}
		}
	}

}
