package dev.unidler.kubernetes;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import dev.unidler.app.ServiceSpec;
import dev.unidler.app.ServiceState;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Strategic-merge patches to the desired state, built as JSON trees so that keys and
 * values are never spliced into text and {@code null} (which deletes a key) survives
 * serialisation.
 */
final class StrategicMergePatches {

	/** Kubernetes' directive to replace a list or map rather than merge into it. */
	private static final String PATCH_DIRECTIVE = "$patch";

	// A mapper of our own: the application's JSON settings must not change patch bodies.
	private static final JsonMapper json = JsonMapper.builder().build();

	private StrategicMergePatches() {
	}

	static String scale(int replicas) {
		ObjectNode patch = json.createObjectNode();
		patch.putObject("spec").put("replicas", replicas);
		return json.writeValueAsString(patch);
	}

	static String removeMetadata(Set<String> labels, Set<String> annotations) {
		ObjectNode patch = json.createObjectNode();
		ObjectNode metadata = patch.putObject("metadata");
		deleteKeys(metadata, "labels", labels);
		deleteKeys(metadata, "annotations", annotations);
		return json.writeValueAsString(patch);
	}

	/**
	 * Makes the Service's spec exactly the given one: selector labels and ports the idled
	 * Service has beyond it are deleted, and {@code externalName} goes. Deleting by name
	 * is used rather than a {@code $patch: replace} directive, which Kubernetes ignores
	 * when the idled Service has no selector at all.
	 */
	static String restoreService(ServiceState current, ServiceSpec spec, Set<String> annotations) {
		ObjectNode patch = json.createObjectNode();
		deleteKeys(patch.putObject("metadata"), "annotations", annotations);
		ObjectNode target = patch.putObject("spec");
		target.put("type", spec.type());
		target.putNull("externalName");
		ObjectNode selector = target.putObject("selector");
		current.selector().keySet().stream().sorted().forEach(selector::putNull);
		spec.selector().forEach(selector::put);
		ArrayNode ports = target.putArray("ports");
		for (ServiceSpec.Port port : spec.ports()) {
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
		}
		current.ports()
			.stream()
			.filter((number) -> spec.ports().stream().noneMatch((port) -> port.port() == number))
			.sorted()
			.forEach((number) -> ports.addObject().put("port", number).put(PATCH_DIRECTIVE, "delete"));
		return json.writeValueAsString(patch);
	}

	/**
	 * Sets annotations on a workload and on its pod template: a changed template makes
	 * the controller replace every pod, which is how {@code kubectl rollout restart}
	 * works. Values are stored verbatim, whatever characters they hold.
	 */
	static String restart(Map<String, String> workloadAnnotations, Map<String, String> templateAnnotations) {
		ObjectNode patch = json.createObjectNode();
		if (!workloadAnnotations.isEmpty()) {
			ObjectNode annotations = patch.putObject("metadata").putObject("annotations");
			new TreeMap<>(workloadAnnotations).forEach(annotations::put);
		}
		ObjectNode annotations = patch.putObject("spec")
			.putObject("template")
			.putObject("metadata")
			.putObject("annotations");
		new TreeMap<>(templateAnnotations).forEach(annotations::put);
		return json.writeValueAsString(patch);
	}

	private static void deleteKeys(ObjectNode metadata, String field, Set<String> keys) {
		if (!keys.isEmpty()) {
			ObjectNode node = metadata.putObject(field);
			keys.stream().sorted().forEach(node::putNull);
		}
	}

	private static boolean isNumber(String value) {
		return !value.isEmpty() && value.chars().allMatch(Character::isDigit) && value.length() < 6;
	}

}
