package dev.unidler.kubernetes;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;

import dev.unidler.app.Leases;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoordinationV1Api;
import io.kubernetes.client.openapi.models.V1DeleteOptions;
import io.kubernetes.client.openapi.models.V1Lease;
import io.kubernetes.client.openapi.models.V1LeaseSpec;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Preconditions;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * {@link Leases} on client-java, in one namespace. Every change is conditional: a Lease
 * is created only if it does not exist, and replaced or deleted only at the
 * {@code resourceVersion} that was read, so two replicas racing for one Lease cannot both
 * win.
 */
final class KubernetesLeases implements Leases {

	static final String MANAGED_BY = "app.kubernetes.io/managed-by";

	private static final int CONFLICT = 409;

	private static final int NOT_FOUND = 404;

	private static final int ROUNDS = 5;

	private final CoordinationV1Api coordination;

	private final BlockingCalls calls;

	private final String namespace;

	KubernetesLeases(ApiClient client, BlockingCalls calls, String namespace) {
		this.coordination = new CoordinationV1Api(client);
		this.calls = calls;
		this.namespace = namespace;
	}

	@Override
	public Mono<String> tryAcquire(String name, String holder, String owner, Duration duration,
			Map<String, String> annotations) {
		return this.calls.call("take Lease " + this.namespace + "/" + name, () -> {
			String held = "";
			// A Lease released or taken between our read and our write: look again, a few
			// times; each round is a couple of calls.
			for (int round = 0; round < ROUNDS; round++) {
				OffsetDateTime now = now();
				V1Lease lease = new V1Lease()
					.metadata(new V1ObjectMeta().name(name)
						.namespace(this.namespace)
						.labels(new HashMap<>(Map.of(MANAGED_BY, "unidler")))
						.annotations(new HashMap<>(annotations)))
					.spec(spec(holder, duration, now).acquireTime(now));
				if (succeeds(() -> this.coordination.createNamespacedLease(this.namespace, lease).execute())) {
					return holder;
				}
				V1Lease current = read(name);
				if (current == null) {
					continue;
				}
				held = holderOf(current);
				if (!holder.equals(held) && !isExpired(current, now) && !isOwnedBy(held, owner)) {
					return held;
				}
				current.spec(spec(holder, duration, now).acquireTime(holder.equals(held) ? acquired(current) : now));
				if (succeeds(() -> this.coordination.replaceNamespacedLease(name, this.namespace, current).execute())) {
					return holder;
				}
			}
			return held;
		});
	}

	/**
	 * Runs a conditional write: whether it was made, or refused because the Lease changed
	 * (409) or went (404) since it was read.
	 */
	private static boolean succeeds(Callable<?> write) throws Exception {
		try {
			write.call();
			return true;
		}
		catch (ApiException ex) {
			if (ex.getCode() == CONFLICT || ex.getCode() == NOT_FOUND) {
				return false;
			}
			throw ex;
		}
	}

	@Override
	public Mono<Boolean> renew(String name, String holder, Duration duration) {
		return this.calls.call("renew Lease " + this.namespace + "/" + name, () -> {
			V1Lease current = read(name);
			if (current == null || !holder.equals(holderOf(current))) {
				return false;
			}
			current.spec(spec(holder, duration, now()).acquireTime(acquired(current)));
			try {
				this.coordination.replaceNamespacedLease(name, this.namespace, current).execute();
				return true;
			}
			catch (ApiException ex) {
				if (ex.getCode() == CONFLICT) {
					return false;
				}
				throw ex;
			}
		});
	}

	@Override
	public Mono<Void> release(String name, String holder) {
		return this.calls.call("release Lease " + this.namespace + "/" + name, () -> {
			V1Lease current = read(name);
			if (current == null || !holder.equals(holderOf(current))) {
				return "";
			}
			V1DeleteOptions options = new V1DeleteOptions().preconditions(new V1Preconditions()
				.resourceVersion(Objects.requireNonNull(current.getMetadata()).getResourceVersion()));
			try {
				this.coordination.deleteNamespacedLease(name, this.namespace).body(options).execute();
			}
			catch (ApiException ex) {
				// Gone already, or taken over after it expired: either way not ours.
				if (ex.getCode() != CONFLICT && ex.getCode() != NOT_FOUND) {
					throw ex;
				}
			}
			return "";
		}).then();
	}

	private @Nullable V1Lease read(String name) throws ApiException {
		try {
			return this.coordination.readNamespacedLease(name, this.namespace).execute();
		}
		catch (ApiException ex) {
			if (ex.getCode() == NOT_FOUND) {
				return null;
			}
			throw ex;
		}
	}

	private static V1LeaseSpec spec(String holder, Duration duration, OffsetDateTime now) {
		return new V1LeaseSpec().holderIdentity(holder)
			.leaseDurationSeconds((int) Math.max(1, duration.toSeconds()))
			.renewTime(now);
	}

	private static boolean isOwnedBy(String holder, String owner) {
		return (" " + holder + " ").contains(" " + owner + " ");
	}

	private static String holderOf(V1Lease lease) {
		String holder = (lease.getSpec() != null) ? lease.getSpec().getHolderIdentity() : null;
		return (holder != null) ? holder : "";
	}

	private static OffsetDateTime acquired(V1Lease lease) {
		OffsetDateTime acquired = (lease.getSpec() != null) ? lease.getSpec().getAcquireTime() : null;
		return (acquired != null) ? acquired : now();
	}

	/**
	 * A Lease nobody holds, or whose holder has not renewed it within its duration: the
	 * holder stopped (a replica that crashed mid-operation), so another may take it.
	 */
	static boolean isExpired(V1Lease lease, OffsetDateTime now) {
		V1LeaseSpec spec = lease.getSpec();
		if (spec == null || spec.getHolderIdentity() == null || spec.getHolderIdentity().isEmpty()) {
			return true;
		}
		OffsetDateTime renewed = (spec.getRenewTime() != null) ? spec.getRenewTime() : spec.getAcquireTime();
		int seconds = (spec.getLeaseDurationSeconds() != null) ? spec.getLeaseDurationSeconds() : 0;
		return renewed == null || renewed.plusSeconds(seconds).isBefore(now);
	}

	private static OffsetDateTime now() {
		return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
	}

}
