package dev.unidler.app;

import java.util.List;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Every app the unidler manages, as last seen, and a signal when any of them changes:
 * what a view of the whole fleet (the console, a gauge of apps by state) reads. Costs no
 * API request: it reads what the unidler keeps of the cluster anyway.
 */
public interface Inventory {

	/** Every labelled workload and Service, as last seen. */
	Mono<Snapshot> snapshot();

	/**
	 * Emits whenever a labelled workload or Service may have changed. Never completes; a
	 * signal carries no state: read {@link #snapshot()}.
	 */
	Flux<?> changes();

	/**
	 * What the unidler keeps of the apps at one moment.
	 *
	 * @param workloads Deployments and StatefulSets that carry the lookup label
	 * @param services Services that carry the lookup label
	 */
	record Snapshot(List<WorkloadState> workloads, List<ServiceState> services) {

		public Snapshot {
			workloads = List.copyOf(workloads);
			services = List.copyOf(services);
		}

	}

}
