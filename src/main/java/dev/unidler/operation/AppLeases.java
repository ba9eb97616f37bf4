package dev.unidler.operation;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.unidler.app.Leases;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * At most one operation changes an app at a time across the unidler's replicas: an
 * operation holds the app's {@code coordination.k8s.io} Lease from its first write to its
 * end, after {@link AppClaims} has settled it within this replica. The Lease is renewed
 * while the operation runs, so a replica that dies mid-operation frees the app after
 * {@code unidler.coordination.lease-duration}.
 */
@Component
public final class AppLeases implements DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(AppLeases.class);

	static final String APP_ANNOTATION = "unidler.dev/app";

	private static final String BY = " by ";

	private final Leases leases;

	private final CoordinationProperties settings;

	private final String identity;

	/** The Leases this instance holds now, so that none is renewed after it stopped. */
	private final Set<AppLease> held = ConcurrentHashMap.newKeySet();

	/** Releases under way, so that shutdown lets them finish. */
	private final AtomicInteger releasing = new AtomicInteger();

	/** How long shutdown waits for releases. */
	static final Duration SHUTDOWN_RELEASE = Duration.ofSeconds(5);

	public AppLeases(Leases leases, CoordinationProperties settings) {
		this.leases = leases;
		this.settings = settings;
		this.identity = (settings.identity() != null && !settings.identity().isBlank()) ? settings.identity()
				: defaultIdentity();
	}

	/** This replica's name in Leases. */
	public String identity() {
		return this.identity;
	}

	/**
	 * Takes the app's Lease if no other replica holds it.
	 * @param app the app, {@code namespace/name}
	 * @param kind the operation
	 * @return the lease, or the operation that holds the app elsewhere
	 */
	public Mono<Attempt> tryAcquire(String app, OperationKind kind) {
		String name = leaseName(app);
		// Not a UUID: its secure random may block reading the system's entropy.
		String holder = kind.id() + BY + this.identity + " "
				+ Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
		return this.leases
			.tryAcquire(name, holder, this.identity, this.settings.leaseDuration(), Map.of(APP_ANNOTATION, app))
			// Bounded by the operation's deadline, which cancels it.
			.retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(250))
				.maxBackoff(Duration.ofSeconds(5))
				.filter(Outages::isTransient))
			.map((held) -> held.equals(holder) ? new Attempt(new AppLease(name, holder), null)
					: new Attempt(null, held.isEmpty() ? null : held));
	}

	/**
	 * Takes the app's Lease as soon as no other replica holds it, looking every
	 * {@code unidler.coordination.poll}. Bounded by the caller's deadline.
	 */
	public Mono<AppLease> acquire(String app, OperationKind kind) {
		return tryAcquire(app, kind).flatMap((attempt) -> (attempt.lease() != null) ? Mono.just(attempt.lease())
				: Mono.delay(this.settings.poll()).then(Mono.defer(() -> acquire(app, kind))));
	}

	/**
	 * Stops renewing and gives the apps back: releases under way finish, and the Leases
	 * of operations abandoned at shutdown are released too (each operation's steps are
	 * safe to run again), so that another replica need not wait for them to expire. Runs
	 * on the shutdown thread before the client's threads stop; bounded by
	 * {@link #SHUTDOWN_RELEASE}, after which what is left expires by itself.
	 */
	@Override
	public void destroy() throws InterruptedException {
		long end = System.nanoTime() + SHUTDOWN_RELEASE.toNanos();
		List<AppLease> abandoned = List.copyOf(this.held);
		abandoned.forEach((lease) -> lease.renewal.dispose());
		this.held.clear();
		Flux.fromIterable(abandoned)
			.flatMap((lease) -> lease.release())
			.then()
			.timeout(SHUTDOWN_RELEASE)
			.onErrorResume((error) -> Mono.empty())
			.block();
		while (this.releasing.get() > 0 && System.nanoTime() < end) {
			Thread.sleep(20);
		}
	}

	/**
	 * A stable Lease name for an app: its namespace and name may be longer than allowed.
	 */
	public static String leaseName(String app) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(app.getBytes(StandardCharsets.UTF_8));
			return "unidler-app-" + HexFormat.of().formatHex(digest, 0, 10);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String defaultIdentity() {
		String host = System.getenv("HOSTNAME");
		String base = (host != null && !host.isBlank()) ? host.strip().toLowerCase(Locale.ROOT).replace(' ', '-')
				: "unidler";
		return base + "-" + UUID.randomUUID().toString().substring(0, 6);
	}

	/**
	 * The outcome of trying to take an app's Lease.
	 *
	 * @param lease the Lease, when it was taken
	 * @param holder who holds it otherwise ({@code null} when it was just released)
	 */
	public record Attempt(@Nullable AppLease lease, @Nullable String holder) {

		/**
		 * The kind of operation that holds the app elsewhere; empty when it is not known
		 * (the Lease was just released, or another program wrote it).
		 */
		public Optional<OperationKind> holderKind() {
			String held = (this.holder != null) ? this.holder : "";
			int by = held.indexOf(BY);
			return (by > 0) ? OperationKind.of(held.substring(0, by)) : Optional.empty();
		}

	}

	/** An app's Lease, held and renewed until it is released. */
	public final class AppLease {

		private final String name;

		private final String holder;

		private final Disposable renewal;

		private volatile boolean failing;

		private final AtomicBoolean released = new AtomicBoolean();

		private AppLease(String name, String holder) {
			this.name = name;
			this.holder = holder;
			Duration every = AppLeases.this.settings.leaseDuration().dividedBy(3);
			AppLeases.this.held.add(this);
			// A renewal still under way when the next is due (a slow API) makes that one
			// wait for the next tick: the interval may not overflow, which would end the
			// renewals (seen in the benchmark with 1,000 wakes at once) and let the Lease
			// expire under a running operation.
			this.renewal = Flux.interval(every, every)
				.onBackpressureDrop()
				.concatMap((tick) -> AppLeases.this.leases.renew(name, holder, AppLeases.this.settings.leaseDuration())
					.doOnNext((renewed) -> this.failing = false)
					.onErrorResume((error) -> {
						// Once per outage, not every few seconds while the API is down.
						if (!this.failing) {
							this.failing = true;
							logger.info("Could not renew Lease {}; trying again: {}", name, LogSafe.cause(error));
						}
						return Mono.just(true);
					}))
				.subscribe((stillHeld) -> {
					if (!stillHeld) {
						logger.warn("Lease {} was taken over by another replica while {} held it", name, holder);
					}
				}, (error) -> logger.warn("Renewals of Lease {} stopped; it expires by itself: {}", name,
						LogSafe.cause(error)));
		}

		/**
		 * Lets other replicas have the app; errors are logged (the Lease then expires).
		 * Once: a second call (an operation ending after shutdown released its Lease)
		 * does nothing.
		 */
		public Mono<Void> release() {
			return Mono.defer(() -> {
				if (!this.released.compareAndSet(false, true)) {
					return Mono.empty();
				}
				this.renewal.dispose();
				AppLeases.this.held.remove(this);
				AppLeases.this.releasing.incrementAndGet();
				return AppLeases.this.leases.release(this.name, this.holder)
					.doFinally((signal) -> AppLeases.this.releasing.decrementAndGet());
			}).onErrorResume((error) -> {
				logger.info("Could not release Lease {} (it expires by itself): {}", this.name, LogSafe.cause(error));
				return Mono.empty();
			});
		}

	}

}
