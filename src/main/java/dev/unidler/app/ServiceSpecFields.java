package dev.unidler.app;

import java.util.List;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A {@link ServiceSpec}'s ports and routing fields as JSON, in Kubernetes' own field
 * names: one writer for the saved-spec annotation and for the patch that restores it, so
 * the two cannot drift apart.
 */
public final class ServiceSpecFields {

	private ServiceSpecFields() {
	}

	/** Adds each port to {@code ports}, its target port a number when it is one. */
	public static void putPorts(ArrayNode ports, List<ServiceSpec.Port> specPorts) {
		for (ServiceSpec.Port port : specPorts) {
			ObjectNode node = ports.addObject();
			if (port.name() != null) {
				node.put("name", port.name());
			}
			node.put("port", port.port());
			node.put("protocol", port.protocol());
			if (isNumber(port.targetPort())) {
				node.put("targetPort", Integer.parseInt(port.targetPort()));
			}
			else {
				node.put("targetPort", port.targetPort());
			}
			if (port.appProtocol() != null) {
				node.put("appProtocol", port.appProtocol());
			}
		}
	}

	/** Sets the routing fields that are set; the others are left out. */
	public static void putRouting(ObjectNode spec, ServiceSpec.Routing routing) {
		if (routing.headless()) {
			spec.put("clusterIP", "None");
		}
		putIfSet(spec, "sessionAffinity", routing.sessionAffinity());
		if (routing.sessionAffinityTimeoutSeconds() != null) {
			spec.putObject("sessionAffinityConfig")
				.putObject("clientIP")
				.put("timeoutSeconds", routing.sessionAffinityTimeoutSeconds());
		}
		if (routing.publishNotReadyAddresses() != null) {
			spec.put("publishNotReadyAddresses", routing.publishNotReadyAddresses());
		}
		putIfSet(spec, "internalTrafficPolicy", routing.internalTrafficPolicy());
		putIfSet(spec, "trafficDistribution", routing.trafficDistribution());
		putIfSet(spec, "ipFamilyPolicy", routing.ipFamilyPolicy());
		if (!routing.ipFamilies().isEmpty()) {
			ArrayNode families = spec.putArray("ipFamilies");
			routing.ipFamilies().forEach(families::add);
		}
	}

	private static void putIfSet(ObjectNode node, String field, @Nullable String value) {
		if (value != null) {
			node.put(field, value);
		}
	}

	/** A port number, not a port name (names start with a letter). */
	private static boolean isNumber(String value) {
		return !value.isEmpty() && value.length() < 6 && value.chars().allMatch(Character::isDigit);
	}

}
