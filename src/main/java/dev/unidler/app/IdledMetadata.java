package dev.unidler.app;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.unidler.UnidlerProperties;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

/**
 * Reads the idled-state contract: the idled label, the idled-at and replica annotations.
 */
@Component
public final class IdledMetadata {

	private static final DateTimeFormatter IDLED_AT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx",
			Locale.ROOT);

	private final String idledLabel;

	private final String idledAtAnnotation;

	private final String replicasAnnotation;

	public IdledMetadata(UnidlerProperties properties) {
		this.idledLabel = properties.labels().idled();
		this.idledAtAnnotation = properties.annotations().idledAt();
		this.replicasAnnotation = properties.annotations().replicas();
	}

	/**
	 * What an idle writes on a Deployment, in the old idler's format so that it wakes the
	 * app too: the idled label, and the replica count and time in annotations.
	 * @param replicas the replicas the app had
	 * @param at when it was idled; written in UTC to the second, as
	 * {@code 2018-02-07T11:44:20+00:00}
	 */
	public Marks marks(int replicas, Instant at) {
		return new Marks(Map.of(this.idledLabel, "true"), Map.of(this.idledAtAnnotation,
				IDLED_AT.format(at.atOffset(ZoneOffset.UTC)), this.replicasAnnotation, Integer.toString(replicas)));
	}

	/** The replica count the idle recorded, if it is usable. */
	public @Nullable Integer recordedReplicas(Map<String, String> annotations) {
		return positive(annotations.get(this.replicasAnnotation));
	}

	/** Whether every mark of an idled Deployment is there. */
	public boolean isComplete(DeploymentState deployment) {
		return "true".equals(deployment.labels().get(this.idledLabel))
				&& deployment.annotations().containsKey(this.idledAtAnnotation)
				&& deployment.annotations().containsKey(this.replicasAnnotation);
	}

	public Set<String> labels() {
		return Set.of(this.idledLabel);
	}

	public Set<String> annotations() {
		return Set.of(this.idledAtAnnotation, this.replicasAnnotation);
	}

	public boolean isPresent(DeploymentState deployment) {
		return deployment.labels().containsKey(this.idledLabel)
				|| deployment.annotations().containsKey(this.idledAtAnnotation)
				|| deployment.annotations().containsKey(this.replicasAnnotation);
	}

	/**
	 * The replica count to restore: the replicas annotation, else the count in the legacy
	 * {@code "<timestamp>,<replicas>"} idled-at form, else 1. Counts below 1 are taken as
	 * missing, since waking an app to zero replicas would never finish.
	 */
	public int replicasToRestore(Map<String, String> annotations) {
		Integer replicas = positive(annotations.get(this.replicasAnnotation));
		if (replicas == null) {
			String idledAt = annotations.get(this.idledAtAnnotation);
			int comma = (idledAt != null) ? idledAt.lastIndexOf(',') : -1;
			replicas = (comma >= 0) ? positive(idledAt.substring(comma + 1)) : null;
		}
		return (replicas != null) ? replicas : 1;
	}

	/**
	 * The labels and annotations that mark a Deployment idled.
	 *
	 * @param labels the idled label
	 * @param annotations the idled-at and replicas annotations
	 */
	public record Marks(Map<String, String> labels, Map<String, String> annotations) {

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
