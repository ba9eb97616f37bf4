package dev.unidler.fleet;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.unidler.UnidlerProperties;
import dev.unidler.app.IdledMetadata;
import dev.unidler.app.ServiceState;
import dev.unidler.app.UnidlerNames;
import dev.unidler.app.WorkloadState;
import dev.unidler.idle.IdleProperties;
import dev.unidler.operation.OperationKind;
import org.jspecify.annotations.Nullable;

/**
 * Tells an app's state from what the cluster and the operations say of it. Pure: no I/O,
 * so every case is a unit test.
 *
 * <p>
 * The idled-state contract has three parts, written by an idle and undone by a wake in a
 * known order: the marks on the Deployment (the idled label and annotations), its replica
 * count, and its Service pointing at the unidler. Idled is all three; awake is none of
 * them. Anything in between, with no operation running to explain it, is drift: an
 * operation cut short, or someone's hand (the old platform's stripped label on an app
 * still at 0 replicas). Each disagreement is named, so the console says what is wrong.
 */
final class AppStates {

	private final String lookupLabel;

	private final String idledLabel;

	private final String idledAtAnnotation;

	private final String scheduleAnnotation;

	private final String timeZoneAnnotation;

	private final IdledMetadata idled;

	private final UnidlerNames unidlerNames;

	AppStates(UnidlerProperties properties, IdleProperties idle) {
		this.lookupLabel = properties.labels().lookup();
		this.idledLabel = properties.labels().idled();
		this.idledAtAnnotation = properties.annotations().idledAt();
		this.scheduleAnnotation = idle.scheduleAnnotation();
		this.timeZoneAnnotation = idle.timeZoneAnnotation();
		this.idled = new IdledMetadata(properties);
		this.unidlerNames = new UnidlerNames(properties);
	}

	/**
	 * @param workload the app's workload
	 * @param services the Services in its namespace that carry its lookup label value
	 * @param running the operation that holds the app here, if any
	 * @param last how the last operation here ended
	 * @param lastWake the last successful wake here
	 */
	AppStatus classify(WorkloadState workload, List<ServiceState> services, Optional<OperationKind> running,
			Optional<Outcome> last, Optional<Outcome> lastWake) {
		List<String> drift = "Deployment".equals(workload.kind()) ? drift(workload, services) : List.of();
		AppState state = running.map(AppStates::during)
			.orElseGet(() -> last.filter((outcome) -> !outcome.succeeded())
				.map((outcome) -> AppState.FAILED)
				.orElseGet(() -> atRest(workload, services, drift)));
		return new AppStatus(workload.kind(), workload.namespace(), workload.name(),
				workload.labels().get(this.lookupLabel), state, drift, workload.desired(), workload.available(),
				idledSince(workload.annotations().get(this.idledAtAnnotation)), lastWake.orElse(null),
				last.orElse(null), workload.annotations().get(this.scheduleAnnotation),
				workload.annotations().get(this.timeZoneAnnotation), workload.labels(), workload.annotations());
	}

	private static AppState during(OperationKind kind) {
		return switch (kind) {
			case WAKE -> AppState.WAKING;
			case IDLE -> AppState.IDLING;
			case RESTART -> AppState.RESTARTING;
		};
	}

	private AppState atRest(WorkloadState workload, List<ServiceState> services, List<String> drift) {
		if (!drift.isEmpty()) {
			return AppState.DRIFTED;
		}
		if (workload.labels().containsKey(this.idledLabel)) {
			return AppState.IDLED;
		}
		boolean routedHere = services.stream().anyMatch(this.unidlerNames::pointsAtUnidler);
		return (workload.desired() == 0 && !routedHere) ? AppState.STOPPED : AppState.AWAKE;
	}

	/** What disagrees among the marks, the replicas and the Service of a Deployment. */
	private List<String> drift(WorkloadState workload, List<ServiceState> services) {
		boolean label = workload.labels().containsKey(this.idledLabel);
		boolean annotations = this.idled.annotations().stream().anyMatch(workload.annotations()::containsKey);
		boolean routedHere = services.stream().anyMatch(this.unidlerNames::pointsAtUnidler);
		int replicas = workload.desired();
		List<String> drift = new ArrayList<>();
		if (label && replicas > 0) {
			drift.add("Marked idled but asks for " + replicas + " replica" + ((replicas == 1) ? "" : "s"));
		}
		if (!label && replicas == 0 && (annotations || routedHere)) {
			drift.add("Idled label stripped but 0 replicas: nothing serves it");
		}
		if (replicas > 0 && routedHere) {
			drift.add(replicas + " replica" + ((replicas == 1) ? "" : "s")
					+ " asked for but the Service still points at the unidler");
		}
		if (!label && annotations && replicas > 0) {
			drift.add("Idled annotations left on a running app");
		}
		if (label && replicas == 0 && !routedHere) {
			drift.add(services.isEmpty() ? "Idled but no Service carries its host: nothing can wake it"
					: "Idled but the Service does not point at the unidler: requests never reach the waiting page");
		}
		return drift;
	}

	/**
	 * The idled-at annotation as an instant: {@code 2018-02-07T11:44:20+00:00}, or the
	 * legacy {@code "<timestamp>,<replicas>"}; {@code null} when it cannot be read.
	 */
	static @Nullable Instant idledSince(@Nullable String annotation) {
		if (annotation == null || annotation.isBlank()) {
			return null;
		}
		int comma = annotation.indexOf(',');
		String timestamp = ((comma >= 0) ? annotation.substring(0, comma) : annotation).strip();
		try {
			return OffsetDateTime.parse(timestamp).toInstant();
		}
		catch (DateTimeParseException ex) {
			return null;
		}
	}

}
