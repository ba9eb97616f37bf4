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

	/**
	 * Deployments and StatefulSets whose lookup label has this value, as last seen (no
	 * API request).
	 */
	Mono<List<Workload>> find(String lookupValue);

	/**
	 * Deployments and StatefulSets that carry the lookup label, as last seen (no API
	 * request).
	 */
	Mono<List<Workload>> managed();

	/**
	 * One workload, read fresh: what a decision to write rests on. Empty when it does not
	 * exist.
	 */
	Mono<Workload> get(WorkloadRef ref);

	/**
	 * One workload as last seen, for following a rollout: may lag the API by an event.
	 * Read fresh when it is not one the unidler keeps (no lookup label). Empty when it
	 * does not exist.
	 */
	Mono<Workload> observe(WorkloadRef ref);

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
	 * Emits whenever the workload may have changed. Never completes; a signal carries no
	 * state. Workloads without the lookup label signal nothing: periodic re-checks follow
	 * them.
	 */
	Flux<?> changes(WorkloadRef ref);

}
