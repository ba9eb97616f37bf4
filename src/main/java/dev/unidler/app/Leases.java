package dev.unidler.app;

import java.time.Duration;
import java.util.Map;

import reactor.core.publisher.Mono;

/**
 * Kubernetes {@code coordination.k8s.io} Leases in the unidler's own namespace: how the
 * unidler's replicas agree who may change an app, and which of them runs the idle
 * schedules. A Lease is held by one identity until it is released or its holder stops
 * renewing it for longer than its duration. Failures arrive as {@link ClusterException}.
 */
public interface Leases {

	/**
	 * Takes a Lease when nobody holds it or its holder let it expire.
	 * @param name the Lease's name
	 * @param holder who takes it: words separated by spaces, one of them {@code owner}
	 * @param owner the replica that takes it; a Lease held by another of its holders (an
	 * operation of the same replica that just ended) is taken over, since a replica
	 * settles its own operations among themselves
	 * @param duration how long it stays held without a renewal
	 * @param annotations written on the Lease, for people who look at it
	 * @return the identity that holds the Lease now: {@code holder} when it was taken
	 */
	Mono<String> tryAcquire(String name, String holder, String owner, Duration duration,
			Map<String, String> annotations);

	/**
	 * Renews a Lease this holder has.
	 * @return whether it still holds it
	 */
	Mono<Boolean> renew(String name, String holder, Duration duration);

	/** Gives a Lease up, if this holder has it; does nothing otherwise. */
	Mono<Void> release(String name, String holder);

}
