package dev.unidler.idle;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

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
import dev.unidler.operation.StepDescription;
import dev.unidler.operation.WorkloadEvents;
import dev.unidler.operation.WorkloadEvents.Requester;
import dev.unidler.wake.Wakes;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

/**
 * One run of an idle: make sure nothing else changes the app, in this replica (its claim,
 * and nobody waiting on its page) or in another (its Lease), look at it afresh, then the
 * steps in order, ending in exactly one {@code READY} or {@code FAILURE} event within the
 * deadline. An idle gives way: while a wake, a restart or another replica's operation
 * runs, it is refused rather than queued, because whoever asked for those wants the app
 * up.
 */
@Component
final class IdlePipeline {

	private static final Logger logger = LoggerFactory.getLogger(IdlePipeline.class);

	static final String IDLED = "Idled: the app's traffic goes to the unidler and its pods are stopped";

	static final String ALREADY_IDLED = "The app was already idled; nothing changed";

	private final IdleLocator locator;

	private final List<IdleStep> steps;

	private final AppClaims claims;

	private final AppLeases leases;

	private final Wakes wakes;

	private final Outages outages;

	private final IdleProperties settings;

	private final WorkloadEvents events;

	private final OperationListeners listeners;

	IdlePipeline(IdleLocator locator, IdleSteps steps, AppClaims claims, AppLeases leases, Wakes wakes, Outages outages,
			WorkloadEvents events, OperationListeners listeners, IdleProperties settings) {
		this.events = events;
		this.listeners = listeners;
		this.locator = locator;
		this.steps = steps.steps();
		this.claims = claims;
		this.leases = leases;
		this.wakes = wakes;
		this.outages = outages;
		this.settings = settings;
	}

	/**
	 * An idle of an app found by {@link IdleLocator#find}.
	 * @param id the run's id
	 * @param app the app
	 * @param requestedBy who asks (a token name, or {@code schedule}), for the log
	 */
	Flux<OperationEvent> run(String id, IdleApp app, String requestedBy) {
		String deadline = "The idle did not finish within " + Durations.describe(this.settings.deadline())
				+ ". Run it again; each step picks up where it stopped.";
		String locate = StepDescription.LOCATE.name();
		String claimed = app.qualifiedName();
		OperationSubject subject = new OperationSubject(id, OperationKind.IDLE, app.key().host(),
				Regarding.workload("Deployment", app.namespace(), app.deployment().name()), requestedBy, null);
		return this.listeners.observe(() -> subject, OperationRun.of(this.settings.deadline(), deadline, (run) -> {
			Optional<AppClaims.Claim> claim = this.claims.tryClaim(claimed, OperationKind.IDLE);
			if (claim.isEmpty()) {
				return Flux.error(busy(this.claims.holder(claimed), false));
			}
			if (this.wakes.isWaking(app.key().value())) {
				claim.get().release();
				return Flux.error(busy(Optional.of(OperationKind.WAKE), false));
			}
			Flux<OperationEvent> idle = this.leases.tryAcquire(claimed, OperationKind.IDLE).flatMapMany((attempt) -> {
				if (attempt.lease() == null) {
					return Flux.error(busy(attempt.holderKind(), true));
				}
				return Flux.usingWhen(Mono.just(attempt.lease()), (lease) -> Flux.concat(
						Mono.fromSupplier(() -> run.progress(locate, StepState.RUNNING, "Looking at the app")),
						this.locator.locate(new IdleTarget.Named(app.namespace(), app.deployment().name()))
							.flatMapMany((located) -> located.idled()
									? Flux.just(run.progress(locate, StepState.DONE, "The app is already idled"),
											run.ready(ALREADY_IDLED))
									: Flux.concat(
											Mono.fromSupplier(
													() -> run.progress(locate, StepState.DONE, "Found the app")),
											run.steps(this.steps, located.app(), this.outages),
											Mono.fromSupplier(() -> run.ready(IDLED))))),
						AppLeases.AppLease::release);
			});
			return Flux.usingWhen(Mono.just(claim.get()), (held) -> idle, (held) -> Mono.fromRunnable(held::release));
		}, (end, failure) -> {
			log(app, requestedBy, end, failure);
			this.events.idleEnded(Regarding.workload("Deployment", app.namespace(), app.deployment().name()),
					requester(app, requestedBy), end, !ALREADY_IDLED.equals(end.message()));
		}));
	}

	/** A token's name, or the app's schedule as its annotations say it. */
	private Requester requester(IdleApp app, String requestedBy) {
		if (!IdleSchedules.SCHEDULE.equals(requestedBy)) {
			return new Requester.Token(requestedBy);
		}
		String cron = app.deployment().annotations().getOrDefault(this.settings.scheduleAnnotation(), "");
		String zone = app.deployment().annotations().get(this.settings.timeZoneAnnotation());
		return new Requester.Schedule(cron.strip(),
				(zone != null && !zone.isBlank()) ? zone.strip() : this.settings.timeZone().getId());
	}

	private static OperationFailure busy(Optional<OperationKind> holder, boolean elsewhere) {
		String where = elsewhere ? " on another unidler replica" : "";
		String what = holder.map((kind) -> switch (kind) {
			case WAKE -> "The app is being woken" + where + ", so it was not idled: someone is waiting for it.";
			case RESTART -> "The app is being restarted" + where + ", so it was not idled.";
			case IDLE -> "The app is being idled already" + where + ".";
		}).orElse("Another operation is changing the app" + where + ", so it was not idled.");
		return new OperationFailure(FailureReason.BUSY, what);
	}

	/** One line per outcome, with who asked. */
	private static void log(IdleApp app, String requestedBy, OperationEvent end, @Nullable OperationFailure failure) {
		String name = LogSafe.of(app.qualifiedName());
		if (end.kind() == Kind.READY) {
			if (ALREADY_IDLED.equals(end.message())) {
				logger.info("{} was already idled, asked by {}", name, LogSafe.of(requestedBy));
			}
			else {
				logger.info("Idled {} in {} ms, asked by {}", name, end.elapsedMillis(), LogSafe.of(requestedBy));
			}
			return;
		}
		String reason = (end.failure() != null) ? end.failure().name().toLowerCase(Locale.ROOT).replace('_', '-')
				: "unknown";
		Throwable cause = (failure != null) ? failure.getCause() : null;
		if (cause != null && end.failure() == FailureReason.CLUSTER_ERROR) {
			logger.warn("Idle of {} failed ({}) in step {}, asked by {}: {} Cause: {}", name, reason, end.step(),
					LogSafe.of(requestedBy), LogSafe.of(end.message()), LogSafe.cause(cause));
		}
		else {
			logger.info("Idle of {} failed ({}) in step {}, asked by {}: {}", name, reason, end.step(),
					LogSafe.of(requestedBy), LogSafe.of(end.message()));
		}
	}

}
