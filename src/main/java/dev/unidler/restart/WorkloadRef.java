package dev.unidler.restart;

/**
 * A Deployment or StatefulSet by name, as the per-workload API addresses it:
 * {@code {kind}/{namespace}/{name}}.
 *
 * @param kind {@code Deployment} or {@code StatefulSet}
 * @param namespace its namespace
 * @param name its name
 */
public record WorkloadRef(String kind, String namespace, String name) {

	@Override
	public String toString() {
		return this.kind + "/" + this.namespace + "/" + this.name;
	}

}
