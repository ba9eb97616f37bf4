package dev.unidler.access;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

/**
 * Whether an app has opted in to an action: an app is restarted or idled on request only
 * if its team said so. Either the workload carries the opt-in label or annotation
 * ({@code unidler.dev/allow: "restart,idle"}), or, for idling, the idler's own
 * {@code mojanalytics.xyz/idleable: "true"}, or it is on the allowlist file, in the
 * restart console's format. A wake needs no opt-in: it is how an idled app is used.
 */
@Component
public final class OptIn {

	static final String IDLEABLE = "mojanalytics.xyz/idleable";

	private final String key;

	private final Set<String> allowlist;

	OptIn(AccessProperties properties) {
		this.key = properties.optIn();
		this.allowlist = (properties.allowlistFile() != null) ? readAllowlist(properties.allowlistFile()) : Set.of();
	}

	/**
	 * @param action what is asked
	 * @param app the app
	 * @param labels the workload's labels
	 * @param annotations the workload's annotations
	 * @return whether the app allows it
	 */
	public boolean allows(Action action, AppRef app, Map<String, String> labels, Map<String, String> annotations) {
		if (action == Action.WAKE) {
			return true;
		}
		if (names(labels.get(this.key), action) || names(annotations.get(this.key), action)) {
			return true;
		}
		if (action == Action.IDLE && "true".equalsIgnoreCase(labels.get(IDLEABLE))) {
			return true;
		}
		return this.allowlist.contains(app.kind() + "/" + app.namespace() + "/" + app.name());
	}

	private static boolean names(@Nullable String value, Action action) {
		return value != null && Arrays.stream(value.split(","))
			.anyMatch((name) -> Action.named(name).filter(action::equals).isPresent());
	}

	private static Set<String> readAllowlist(Path file) {
		List<?> services = YamlFiles.list(file, "services", " of {kind, name, namespace}");
		Set<String> entries = new HashSet<>();
		for (Object service : services) {
			if (!(service instanceof Map<?, ?> entry) || entry.get("kind") == null || entry.get("name") == null
					|| entry.get("namespace") == null) {
				throw new AccessFileException(file, "each of 'services' needs kind, name and namespace");
			}
			String kind = entry.get("kind").toString();
			if (!kind.equals("Deployment") && !kind.equals("StatefulSet")) {
				throw new AccessFileException(file, "kind must be Deployment or StatefulSet, not " + kind);
			}
			entries.add(kind + "/" + entry.get("namespace") + "/" + entry.get("name"));
		}
		return Set.copyOf(entries);
	}

}
