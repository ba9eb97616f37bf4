package dev.unidler.app;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import reactor.core.publisher.Mono;

/**
 * Leases in memory, for tests of pure logic that run without a cluster; the Kubernetes
 * implementation is tested against the real control plane.
 */
public final class InMemoryLeases implements Leases {

	private final Map<String, String> holders = new ConcurrentHashMap<>();

	@Override
	public Mono<String> tryAcquire(String name, String holder, String owner, Duration duration,
			Map<String, String> annotations) {
		return Mono.fromSupplier(() -> this.holders.compute(name,
				(key, held) -> (held == null || (" " + held + " ").contains(" " + owner + " ")) ? holder : held));
	}

	@Override
	public Mono<Boolean> renew(String name, String holder, Duration duration) {
		return Mono.fromSupplier(() -> holder.equals(this.holders.get(name)));
	}

	@Override
	public Mono<Void> release(String name, String holder) {
		return Mono.fromRunnable(() -> this.holders.remove(name, holder));
	}

}
