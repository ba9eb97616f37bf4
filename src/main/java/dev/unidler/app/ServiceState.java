package dev.unidler.app;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A Service as the operations see it, read fresh from the cluster.
 *
 * @param namespace its namespace
 * @param name its name
 * @param spec its spec: type, selector, ports and routing fields
 * @param externalName {@code spec.externalName}, set while the Service points at the
 * unidler (see {@link UnidlerNames})
 * @param labels its labels
 * @param annotations its annotations
 */
public record ServiceState(String namespace, String name, ServiceSpec spec, @Nullable String externalName,
		Map<String, String> labels, Map<String, String> annotations) {

	public static final String EXTERNAL_NAME = "ExternalName";

	public ServiceState {
		labels = Map.copyOf(labels);
		annotations = Map.copyOf(annotations);
	}

	/** {@code spec.type}. */
	public String type() {
		return this.spec.type();
	}

	/** The pods it selects. */
	public Map<String, String> selector() {
		return this.spec.selector();
	}

	/** Its port numbers. */
	public List<Integer> ports() {
		return this.spec.ports().stream().map(ServiceSpec.Port::port).toList();
	}

	public String qualifiedName() {
		return this.namespace + "/" + this.name;
	}

}
