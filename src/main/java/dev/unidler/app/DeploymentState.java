package dev.unidler.app;

import java.util.Map;

/**
 * What the wake needs to know of a Deployment, read fresh from the cluster.
 *
 * @param namespace its namespace
 * @param name its name
 * @param replicas the desired replica count ({@code spec.replicas})
 * @param availableReplicas {@code status.availableReplicas}
 * @param labels its labels
 * @param annotations its annotations
 * @param selector the labels its pods are selected by
 */
public record DeploymentState(String namespace, String name, int replicas, int availableReplicas,
		Map<String, String> labels, Map<String, String> annotations, Map<String, String> selector) {

	public DeploymentState {
		labels = Map.copyOf(labels);
		annotations = Map.copyOf(annotations);
		selector = Map.copyOf(selector);
	}

	/**
	 * Whether enough replicas are available for the app to count as up: at least one is
	 * asked for and available, and as many as {@code minAvailable}, capped at the desired
	 * count.
	 */
	public boolean isAvailable(int minAvailable) {
		int target = Math.max(1, Math.min(minAvailable, this.replicas));
		return this.replicas >= 1 && this.availableReplicas >= target;
	}

	public String qualifiedName() {
		return this.namespace + "/" + this.name;
	}

}
