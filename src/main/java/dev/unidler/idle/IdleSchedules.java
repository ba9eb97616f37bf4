package dev.unidler.idle;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import dev.unidler.UnidlerProperties;
import dev.unidler.access.Action;
import dev.unidler.access.AppRef;
import dev.unidler.access.OptIn;
import dev.unidler.app.Cluster;
import dev.unidler.app.DeploymentState;
import dev.unidler.app.IdledMetadata;
import dev.unidler.app.Leases;
import dev.unidler.operation.AppLeases;
import dev.unidler.operation.CoordinationProperties;
import dev.unidler.operation.LogSafe;
import dev.unidler.operation.OperationEvent;
import dev.unidler.operation.OperationFailure;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.support.CronExpression;
import org.springframework.stereotype.Component;

/**
 * Idles apps on their schedules. Exactly one replica runs the schedules: the one that
 * holds the {@code unidler-idle-schedules} Lease, taken and renewed on every look, so
 * that when it stops another takes over within a Lease's duration.
 *
 * <p>
 * Every {@code unidler.idle.schedule-interval} the leader lists the apps (Deployments
 * carrying the lookup label) whose schedule annotation fired since its last look, and
 * idles those that opted in to idling and are awake. An app someone waits for (a wake
 * runs) or that another operation changes is skipped until its next time: the idle
 * refuses, and says why in the log. A schedule that cannot be read is logged once and
 * ignored.
 */
@Component
final class IdleSchedules implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(IdleSchedules.class);

	static final String LEASE = "unidler-idle-schedules";

	static final String SCHEDULE = "schedule";

	private final Cluster cluster;

	private final Leases leases;

	private final Idles idles;

	private final OptIn optIn;

	private final IdledMetadata idled;

	private final IdleProperties settings;

	private final String lookupLabel;

	private final String identity;

	private final Duration leaseDuration;

	private final Clock clock;

	private final Set<String> reportedInvalid = ConcurrentHashMap.newKeySet();

	private final AtomicInteger started = new AtomicInteger();

	private volatile @Nullable Disposable ticks;

	private volatile @Nullable Instant lastLook;

	IdleSchedules(Cluster cluster, Leases leases, AppLeases appLeases, Idles idles, OptIn optIn, IdledMetadata idled,
			IdleProperties settings, CoordinationProperties coordination, UnidlerProperties properties) {
		this.cluster = cluster;
		this.leases = leases;
		this.idles = idles;
		this.optIn = optIn;
		this.idled = idled;
		this.settings = settings;
		this.lookupLabel = properties.labels().lookup();
		this.identity = appLeases.identity();
		// Held across a missed renewal or two, never for less than the usual duration.
		Duration threeLooks = settings.scheduleInterval().multipliedBy(3);
		this.leaseDuration = (threeLooks.compareTo(coordination.leaseDuration()) > 0) ? threeLooks
				: coordination.leaseDuration();
		this.clock = Clock.systemUTC();
	}

	/** Whether this replica runs the schedules now. */
	boolean isLeading() {
		return this.lastLook != null;
	}

	/** How many scheduled idles this replica has started. */
	int started() {
		return this.started.get();
	}

	@Override
	public void start() {
		if (!this.settings.schedules()) {
			return;
		}
		this.ticks = Flux.interval(Duration.ZERO, this.settings.scheduleInterval())
			.onBackpressureDrop()
			.concatMap((tick) -> look().onErrorResume((error) -> {
				logger.info("Could not look at the idle schedules: {}", LogSafe.cause(error));
				return Mono.empty();
			}), 1)
			.subscribe();
	}

	@Override
	public void stop() {
		Disposable running = this.ticks;
		if (running != null) {
			running.dispose();
		}
		if (this.lastLook != null) {
			this.lastLook = null;
			// So that another replica takes over at once rather than after the Lease
			// expires.
			this.leases.release(LEASE, this.identity).onErrorResume((error) -> Mono.empty()).subscribe();
		}
	}

	@Override
	public boolean isRunning() {
		Disposable running = this.ticks;
		return running != null && !running.isDisposed();
	}

	/**
	 * Renews the lead (one read and one write) or tries to take it, then idles the apps
	 * that are due.
	 */
	private Mono<Void> look() {
		Mono<Boolean> leading = (this.lastLook != null) ? this.leases.renew(LEASE, this.identity, this.leaseDuration)
				: this.leases.tryAcquire(LEASE, this.identity, this.identity, this.leaseDuration, Map.of())
					.map(this.identity::equals);
		return leading.flatMap((leads) -> {
			Instant now = this.clock.instant();
			if (!leads) {
				if (this.lastLook != null) {
					logger.info("Another replica runs the idle schedules now");
				}
				this.lastLook = null;
				return Mono.empty();
			}
			Instant since = this.lastLook;
			if (since == null) {
				logger.info("This replica runs the idle schedules");
				// A time missed while no replica led (a hand-over) still fires, once.
				since = now.minus(this.settings.scheduleInterval());
			}
			this.lastLook = now;
			Instant from = since;
			return this.cluster.managedDeployments()
				.flatMapMany(Flux::fromIterable)
				.filter((deployment) -> isDue(deployment, from, now))
				.concatMap(this::idle)
				.then();
		});
	}

	private boolean isDue(DeploymentState deployment, Instant since, Instant now) {
		String expression = deployment.annotations().get(this.settings.scheduleAnnotation());
		if (expression == null || expression.isBlank() || this.idled.isPresent(deployment)
				|| deployment.replicas() == 0) {
			return false;
		}
		Schedule schedule = schedule(deployment, expression);
		if (schedule == null) {
			return false;
		}
		ZonedDateTime next = schedule.cron().next(since.atZone(schedule.zone()));
		return next != null && !next.toInstant().isAfter(now);
	}

	private @Nullable Schedule schedule(DeploymentState deployment, String expression) {
		String zoneName = deployment.annotations().get(this.settings.timeZoneAnnotation());
		try {
			ZoneId zone = (zoneName != null && !zoneName.isBlank()) ? ZoneId.of(zoneName.strip())
					: this.settings.timeZone();
			String cron = expression.strip();
			// Five fields, as crontab and CronJobs have them; Spring's have seconds
			// first.
			if (!cron.startsWith("@") && cron.split("\\s+").length == 5) {
				cron = "0 " + cron;
			}
			return new Schedule(CronExpression.parse(cron), zone);
		}
		catch (RuntimeException ex) {
			if (this.reportedInvalid.add(deployment.qualifiedName() + "\n" + expression + "\n" + zoneName)) {
				logger.warn("Ignored the idle schedule of {}: \"{}\" (time zone {}) cannot be read: {}",
						LogSafe.of(deployment.qualifiedName()), LogSafe.of(expression), LogSafe.of(zoneName),
						LogSafe.of(ex.getMessage()));
			}
			return null;
		}
	}

	private Mono<Void> idle(DeploymentState deployment) {
		String host = deployment.labels().get(this.lookupLabel);
		AppRef ref = new AppRef("Deployment", deployment.namespace(), deployment.name(), host);
		if (!this.optIn.allows(Action.IDLE, ref, deployment.labels(), deployment.annotations())) {
			if (this.reportedInvalid.add(deployment.qualifiedName() + "\nopt-in")) {
				logger.info("Ignored the idle schedule of {}: it has not opted in to idling",
						LogSafe.of(deployment.qualifiedName()));
			}
			return Mono.empty();
		}
		IdleTarget.Named target = new IdleTarget.Named(deployment.namespace(), deployment.name());
		return this.idles.find(target).flatMap((app) -> {
			this.started.incrementAndGet();
			return this.idles.request(app, SCHEDULE).events().filter(OperationEvent::isTerminal).next();
		}).onErrorResume(OperationFailure.class, (failure) -> {
			logger.info("Skipped the scheduled idle of {}: {}", LogSafe.of(deployment.qualifiedName()),
					LogSafe.of(failure.getMessage()));
			return Mono.empty();
		}).then();
	}

	private record Schedule(CronExpression cron, ZoneId zone) {

	}

}
