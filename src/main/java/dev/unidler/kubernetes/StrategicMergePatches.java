package dev.unidler.kubernetes;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import dev.unidler.app.ServiceSpec;
import dev.unidler.app.ServiceSpecFields;
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
		ServiceSpecFields.putPorts(ports, spec.ports());
		ServiceSpecFields.putRouting(target, spec.routing());
		current.ports()
			.stream()
			.filter((number) -> spec.ports().stream().noneMatch((port) -> port.port() == number))
			.sorted()
			.forEach((number) -> ports.addObject().put("port", number).put(PATCH_DIRECTIVE, "delete"));
		return json.writeValueAsString(patch);
	}

	/**
	 * Adds labels and annotations to an object, or sets their values: how an idle marks a
	 * Deployment.
	 */
	static String addMetadata(Map<String, String> labels, Map<String, String> annotations) {
		ObjectNode patch = json.createObjectNode();
		ObjectNode metadata = patch.putObject("metadata");
		putKeys(metadata, "labels", labels);
		putKeys(metadata, "annotations", annotations);
		return json.writeValueAsString(patch);
	}

	/**
	 * Sends a Service's traffic to the unidler: {@code ExternalName} at its name, without
	 * a selector, in one write with the annotations (the saved spec). Kubernetes drops
	 * the cluster IP and the fields that only apply to it by itself; the ports stay, as
	 * the old idler left them.
	 */
	static String pointAtUnidler(String externalName, Map<String, String> annotations) {
		ObjectNode patch = json.createObjectNode();
		putKeys(patch.putObject("metadata"), "annotations", annotations);
		ObjectNode spec = patch.putObject("spec");
		spec.put("type", ServiceState.EXTERNAL_NAME);
		spec.put("externalName", externalName);
		spec.putNull("selector");
		return json.writeValueAsString(patch);
	}

	private static void putKeys(ObjectNode metadata, String field, Map<String, String> values) {
		if (!values.isEmpty()) {
			ObjectNode node = metadata.putObject(field);
			new TreeMap<>(values).forEach(node::put);
		}
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

}
