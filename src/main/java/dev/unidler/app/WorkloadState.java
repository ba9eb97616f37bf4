package dev.unidler.app;

import java.util.Map;

/**
 * A Deployment or StatefulSet that carries the lookup label, as last seen: what a view of
 * every app needs of it.
 *
 * @param kind {@code Deployment} or {@code StatefulSet}
 * @param namespace its namespace
 * @param name its name
 * @param desired {@code spec.replicas}
 * @param available {@code status.availableReplicas}
 * @param labels its labels
 * @param annotations its annotations
 */
public record WorkloadState(String kind, String namespace, String name, int desired, int available,
		Map<String, String> labels, Map<String, String> annotations) {

	public WorkloadState {
		labels = Map.copyOf(labels);
		annotations = Map.copyOf(annotations);
	}

	/** {@code namespace/name}, as claims and Leases name an app. */
	public String qualifiedName() {
		return this.namespace + "/" + this.name;
	}

}
