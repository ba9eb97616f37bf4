package dev.unidler.restart;

import java.util.Map;

/**
 * A Deployment or StatefulSet as a restart sees it, read fresh from the cluster.
 *
 * @param ref which workload
 * @param labels its labels
 * @param annotations its annotations
 * @param templateAnnotations the annotations of its pod template
 * @param selector the labels its pods are selected by
 * @param rollout where its rollout stands
 */
public record Workload(WorkloadRef ref, Map<String, String> labels, Map<String, String> annotations,
		Map<String, String> templateAnnotations, Map<String, String> selector, WorkloadRollout rollout) {

	public Workload {
		labels = Map.copyOf(labels);
		annotations = Map.copyOf(annotations);
		templateAnnotations = Map.copyOf(templateAnnotations);
		selector = Map.copyOf(selector);
	}

}
