package dev.unidler.kubernetes;

import java.util.List;

/**
 * No usable Kubernetes configuration was found at start-up.
 */
final class KubernetesConfigurationException extends RuntimeException {

	private final List<String> tried;

	KubernetesConfigurationException(List<String> tried) {
		super("No usable Kubernetes configuration; tried: " + String.join("; ", tried));
		this.tried = List.copyOf(tried);
	}

	List<String> tried() {
		return this.tried;
	}

}
