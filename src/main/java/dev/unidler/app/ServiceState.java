package dev.unidler.app;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What the wake needs to know of a Service, read fresh from the cluster.
 *
 * @param namespace its namespace
 * @param name its name
 * @param type {@code spec.type}
 * @param externalName {@code spec.externalName}, set while the Service points at the
 * unidler (see {@code UnidlerNames})
 * @param selector the pods it selects
 * @param ports its port numbers
 * @param labels its labels
 * @param annotations its annotations
 */
public record ServiceState(String namespace, String name, String type, @Nullable String externalName,
		Map<String, String> selector, List<Integer> ports, Map<String, String> labels,
		Map<String, String> annotations) {

	public static final String EXTERNAL_NAME = "ExternalName";

	public ServiceState {
		selector = Map.copyOf(selector);
		ports = List.copyOf(ports);
		labels = Map.copyOf(labels);
		annotations = Map.copyOf(annotations);
	}

	public String qualifiedName() {
		return this.namespace + "/" + this.name;
	}

}
