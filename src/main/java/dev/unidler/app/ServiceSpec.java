package dev.unidler.app;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The spec a Service gets back when its app wakes.
 *
 * @param type the Service type
 * @param selector the pods it selects
 * @param ports its ports
 */
public record ServiceSpec(String type, Map<String, String> selector, List<Port> ports) {

	public ServiceSpec {
		selector = Map.copyOf(selector);
		ports = List.copyOf(ports);
	}

	/**
	 * One Service port.
	 *
	 * @param name the port name, required by Kubernetes when there are several
	 * @param port the Service port
	 * @param targetPort the container port, a number or a name
	 * @param protocol TCP, UDP or SCTP
	 */
	public record Port(@Nullable String name, int port, String targetPort, String protocol) {

	}

}
