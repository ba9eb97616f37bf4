package dev.unidler.app;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/** Services for tests that need no cluster, by port numbers alone. */
public final class ServiceStates {

	private ServiceStates() {
	}

	public static ServiceState of(String namespace, String name, String type, @Nullable String externalName,
			Map<String, String> selector, List<Integer> ports, Map<String, String> labels,
			Map<String, String> annotations) {
		List<ServiceSpec.Port> specPorts = ports.stream()
			.map((port) -> new ServiceSpec.Port(null, port, String.valueOf(port), "TCP"))
			.toList();
		return new ServiceState(namespace, name, new ServiceSpec(type, selector, specPorts), externalName, labels,
				annotations);
	}

}
