package dev.unidler.wake;

import java.util.Map;
import java.util.Set;

import dev.unidler.UnidlerProperties;
import dev.unidler.app.DeploymentState;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

/**
 * Reads the idled-state contract: the idled label, the idled-at and replica annotations.
 */
@Component
final class IdledMetadata {

	private final String idledLabel;

	private final String idledAtAnnotation;

	private final String replicasAnnotation;

	IdledMetadata(UnidlerProperties properties) {
		this.idledLabel = properties.labels().idled();
		this.idledAtAnnotation = properties.annotations().idledAt();
		this.replicasAnnotation = properties.annotations().replicas();
	}

	Set<String> labels() {
		return Set.of(this.idledLabel);
	}

	Set<String> annotations() {
		return Set.of(this.idledAtAnnotation, this.replicasAnnotation);
	}

	boolean isPresent(DeploymentState deployment) {
		return deployment.labels().containsKey(this.idledLabel)
				|| deployment.annotations().containsKey(this.idledAtAnnotation)
				|| deployment.annotations().containsKey(this.replicasAnnotation);
	}

	/**
	 * The replica count to restore: the replicas annotation, else the count in the legacy
	 * {@code "<timestamp>,<replicas>"} idled-at form, else 1. Counts below 1 are taken as
	 * missing, since waking an app to zero replicas would never finish.
	 */
	int replicasToRestore(Map<String, String> annotations) {
		Integer replicas = positive(annotations.get(this.replicasAnnotation));
		if (replicas == null) {
			String idledAt = annotations.get(this.idledAtAnnotation);
			int comma = (idledAt != null) ? idledAt.lastIndexOf(',') : -1;
			replicas = (comma >= 0) ? positive(idledAt.substring(comma + 1)) : null;
		}
		return (replicas != null) ? replicas : 1;
	}

	private static @Nullable Integer positive(@Nullable String value) {
		if (value == null) {
			return null;
		}
		try {
			int parsed = Integer.parseInt(value.strip());
			return (parsed >= 1) ? parsed : null;
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

}
