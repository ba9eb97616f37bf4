package dev.unidler.restart;

import java.util.List;
import java.util.Map;

import dev.unidler.app.ClusterException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * What a restart asks of Kubernetes, for Deployments and StatefulSets alike. Failures
 * arrive as {@link dev.unidler.app.ClusterException}.
 */
public interface Workloads {

	/** Deployments and StatefulSets in every namespace that carry a label. */
	Mono<List<Workload>> find(String labelKey, String labelValue);

	/**
	 * Deployments and StatefulSets in every namespace that carry a label, whatever its
	 * value.
	 */
	Mono<List<Workload>> labelled(String labelKey);

	/** One workload; empty when it does not exist. */
	Mono<Workload> get(WorkloadRef ref);

	/**
	 * Restarts the pods the way {@code kubectl rollout restart} does: annotations on the
	 * pod template change it, so the controller replaces every pod. Repeating it with the
	 * same values changes nothing.
	 * @param ref the workload
	 * @param workloadAnnotations set on the workload itself
	 * @param templateAnnotations set on its pod template
	 */
	Mono<Void> restart(WorkloadRef ref, Map<String, String> workloadAnnotations,
			Map<String, String> templateAnnotations);

	/**
	 * Emits whenever the workload may have changed. Never completes; reconnects by
	 * itself; a signal carries no state, read it fresh.
	 */
	Flux<?> changes(WorkloadRef ref);

}
