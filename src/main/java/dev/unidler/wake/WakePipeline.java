package dev.unidler.wake;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import dev.unidler.UnidlerProperties;
import dev.unidler.app.AppEvent.Regarding;
import dev.unidler.app.AppKey;
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
import dev.unidler.operation.Operations;
import dev.unidler.operation.Outages;
import dev.unidler.operation.StepDescription;
import dev.unidler.operation.WorkloadEvents;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

/**
 * One run of a wake: find the app, then its steps in order, ending in exactly one
 * {@code READY} or {@code FAILURE} event within the deadline. Never signals an error.
 * Rides out Kubernetes API outages up to the deadline (every step looks before it writes,
 * so a step is simply run again), and logs its outcome on one line.
 */
@Component
final class WakePipeline {

	private static final Logger logger = LoggerFactory.getLogger(WakePipeline.class);

	private final AppLocator locator;

	private final List<WakeStep> steps;

	private final UnidlerProperties.Wake settings;

	private final AppClaims claims;

	private final Outages outages;

	private final AppLeases leases;

	private final WorkloadEvents events;

	private final OperationListeners listeners;

	WakePipeline(AppLocator locator, WakeSteps steps, AppClaims claims, AppLeases leases, Outages outages,
			WorkloadEvents events, OperationListeners listeners, UnidlerProperties properties) {
		this.locator = locator;
		this.events = events;
		this.listeners = listeners;
		this.leases = leases;
		this.claims = claims;
		this.outages = outages;
		this.steps = steps.steps();
		this.settings = properties.wake();
	}

	/** A wake of the app a host names, with an id of its own. */
	Flux<OperationEvent> run(AppKey key) {
		return run(Operations.newId(), key);
	}

	/**
	 * A wake of the app a host names.
	 * @param id the run's id
	 * @param key the app's key
	 */
	Flux<OperationEvent> run(String id, AppKey key) {
		String deadline = "The app did not start within " + Durations.describe(this.settings.deadline())
				+ ". Try again, or ask the platform team.";
		String locate = StepDescription.LOCATE.name();
		// The app this wake found idled and set out to wake, if any.
		AtomicReference<@Nullable App> woken = new AtomicReference<>();
		return this.listeners.observe(() -> subject(id, key, woken.get()),
				OperationRun.of(this.settings.deadline(), deadline, (run) -> {
					Flux<OperationEvent> located = this.outages
						.<Object>rideOut(() -> this.locator.locate(key), (error) -> waiting(key, run, locate, error))
						.concatMap((outcome) -> (outcome instanceof AppLocator.Located found) ? wake(run, found, woken)
								: Flux.just((OperationEvent) outcome));
					return Flux.concat(
							Mono.fromSupplier(() -> run.progress(locate, StepState.RUNNING, "Looking for the app")),
							located);
				}, (end, failure) -> {
					App app = woken.get();
					log(key, end, failure, app != null);
					// On the app's Deployment: only a wake that found an idled app has
					// one to
					// tell.
					if (app != null) {
						this.events.wakeEnded(Regarding.workload("Deployment", app.namespace(), app.deployment()),
								key.host(), end);
					}
				}));
	}

	private static OperationSubject subject(String id, AppKey key, @Nullable App app) {
		Regarding workload = (app != null) ? Regarding.workload("Deployment", app.namespace(), app.deployment()) : null;
		return new OperationSubject(id, OperationKind.WAKE, key.host(), workload, OperationSubject.REQUEST, null);
	}

	private Flux<OperationEvent> wake(OperationRun run, AppLocator.Located located,
			AtomicReference<@Nullable App> woken) {
		App app = located.app();
		String locate = StepDescription.LOCATE.name();
		if (located.awake()) {
			return Flux.just(run.progress(locate, StepState.DONE, "The app is already awake"),
					run.ready("The app is ready"));
		}
		woken.set(app);
		// Another operation (an idle, a restart) may be changing the app, here or in
		// another replica: wait for it to end, then look again, since it changed the app.
		String claimed = app.namespace() + "/" + app.deployment();
		Optional<OperationKind> holder = this.claims.holder(claimed);
		Flux<OperationEvent> waitForOthers = Mono.justOrEmpty(holder)
			.map((held) -> run.progress(locate, StepState.RUNNING,
					"Waiting for " + held.withArticle() + " of the app to end"))
			.flux();
		return Flux.concat(waitForOthers, Flux.usingWhen(this.claims.claim(claimed, OperationKind.WAKE),
				(claim) -> this.leases.tryAcquire(claimed, OperationKind.WAKE).flatMapMany((attempt) -> {
					if (attempt.lease() != null) {
						return holding(run, attempt.lease(), app.key(), holder.isPresent() ? null : app);
					}
					return Flux.concat(Mono.fromSupplier(() -> run.progress(locate, StepState.RUNNING,
							"Waiting for " + attempt.holderKind().map(OperationKind::withArticle).orElse("an operation")
									+ " of the app on another unidler replica to end")),
							this.leases.acquire(claimed, OperationKind.WAKE)
								.flatMapMany((lease) -> holding(run, lease, app.key(), null)));
				}), (claim) -> Mono.fromRunnable(claim::release)));
	}

	/**
	 * The steps, while this wake holds the app.
	 * @param app the app as it was found, or {@code null} when another operation changed
	 * it since: it is looked at again
	 */
	private Flux<OperationEvent> holding(OperationRun run, AppLeases.AppLease lease, AppKey key, @Nullable App app) {
		String locate = StepDescription.LOCATE.name();
		Mono<AppLocator.Located> found = (app != null) ? Mono.just(new AppLocator.Located(app, false))
				: this.locator.locate(key);
		// Confirmed against the API before the first write (riding out an outage like the
		// first look): the cache may not show yet what changed a moment ago.
		Flux<Object> current = found.flatMapMany((located) -> located.awake() ? Flux.just(located) : this.outages
			.<Object>rideOut(() -> this.locator.confirm(located.app()), (error) -> waiting(key, run, locate, error)));
		return Flux.usingWhen(Mono.just(lease),
				(held) -> current.concatMap((outcome) -> (outcome instanceof AppLocator.Located located)
						? wakeLocated(run, located) : Flux.just((OperationEvent) outcome)),
				AppLeases.AppLease::release);
	}

	private Flux<OperationEvent> wakeLocated(OperationRun run, AppLocator.Located located) {
		String locate = StepDescription.LOCATE.name();
		if (located.awake()) {
			return Flux.just(run.progress(locate, StepState.DONE, "The app is already awake"),
					run.ready("The app is ready"));
		}
		return Flux.concat(Mono.fromSupplier(() -> run.progress(locate, StepState.DONE, "Found the app")),
				run.steps(this.steps, located.app(), this.outages),
				Mono.fromSupplier(() -> run.ready("The app is ready")));
	}

	private static OperationEvent waiting(AppKey key, OperationRun run, String step,
			dev.unidler.app.ClusterException error) {
		if (!run.waitingForApi()) {
			logger.info("Wake of {} waits for the Kubernetes API in step {}: {}", LogSafe.of(key), step,
					LogSafe.cause(error));
		}
		return run.waitingForApi(step, error);
	}

	/**
	 * One line per outcome, with the verb that says what happened. Values that come from
	 * the cluster or the request are made safe for a log line; the stack trace of a
	 * failure is for debugging only (it is not one line).
	 */
	private static void log(AppKey key, OperationEvent end, @Nullable OperationFailure failure, boolean woke) {
		String app = LogSafe.of(key);
		if (end.kind() == Kind.READY) {
			if (woke) {
				logger.info("Woke {} in {} ms", app, end.elapsedMillis());
			}
			else {
				logger.info("{} was already awake", app);
			}
			return;
		}
		String reason = (end.failure() != null) ? end.failure().name().toLowerCase(Locale.ROOT).replace('_', '-')
				: "unknown";
		Throwable cause = (failure != null) ? failure.getCause() : null;
		if (cause == null) {
			logger.info("Wake of {} failed ({}) in step {} after {} ms: {}", app, reason, end.step(),
					end.elapsedMillis(), LogSafe.of(end.message()));
			return;
		}
		String line = "Wake of {} failed ({}) in step {} after {} ms: {} Cause: {}";
		Object[] values = { app, reason, end.step(), end.elapsedMillis(), LogSafe.of(end.message()),
				LogSafe.cause(cause) };
		if (end.failure() == FailureReason.CLUSTER_ERROR) {
			logger.warn(line, values);
		}
		else {
			logger.info(line, values);
		}
		logger.debug("Stack trace of the failed wake of {}", app, cause);
	}

}
