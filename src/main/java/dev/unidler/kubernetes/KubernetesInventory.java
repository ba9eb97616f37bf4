package dev.unidler.kubernetes;

import java.util.stream.Stream;

import dev.unidler.app.Inventory;
import dev.unidler.app.WorkloadState;
import dev.unidler.restart.Workload;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@link Inventory} on the informer cache: every read is of memory the lookups keep
 * anyway, and changes come from the informers' events, never from polling.
 */
final class KubernetesInventory implements Inventory {

	private final ClusterCache cache;

	KubernetesInventory(ClusterCache cache) {
		this.cache = cache;
	}

	@Override
	public Mono<Snapshot> snapshot() {
		return Mono.zip(this.cache.deployments(), this.cache.statefulSets(), this.cache.services())
			.map((all) -> new Snapshot(Stream
				.concat(all.getT1().stream().map(KubernetesWorkloads::deployment),
						all.getT2().stream().map(KubernetesWorkloads::statefulSet))
				.map(KubernetesInventory::state)
				.toList(), all.getT3().stream().map(KubernetesCluster::serviceState).toList()));
	}

	@Override
	public Flux<?> changes() {
		return this.cache.appChanges();
	}

	private static WorkloadState state(Workload workload) {
		return new WorkloadState(workload.ref().kind(), workload.ref().namespace(), workload.ref().name(),
				workload.rollout().desired(), workload.rollout().available(), workload.labels(),
				workload.annotations());
	}

}
