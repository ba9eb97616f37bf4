package dev.unidler.fleet;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * One app the unidler manages, with its state: a value, recomputed whenever its workload,
 * its Service or an operation on it changes.
 *
 * @param kind {@code Deployment} or {@code StatefulSet}
 * @param namespace its namespace
 * @param name its workload's name
 * @param host its lookup label's value
 * @param state what it is doing
 * @param drift what is inconsistent, one sentence each; empty unless something is (listed
 * whatever the state, so a failed wake that left the app half-woken says so)
 * @param desired {@code spec.replicas}
 * @param available {@code status.availableReplicas}
 * @param idledSince when it was idled, from the idled-at annotation
 * @param lastWake the last wake here that succeeded: when it ended and how long it took
 * @param lastOutcome how the last operation here ended
 * @param idleSchedule its idle schedule (cron), if it has one
 * @param idleTimeZone the schedule's time zone, if it names one
 * @param labels the workload's labels, for who may see and change it
 * @param annotations the workload's annotations, for who may see and change it
 */
public record AppStatus(String kind, String namespace, String name, @Nullable String host, AppState state,
		List<String> drift, int desired, int available, @Nullable Instant idledSince, @Nullable Outcome lastWake,
		@Nullable Outcome lastOutcome, @Nullable String idleSchedule, @Nullable String idleTimeZone,
		Map<String, String> labels, Map<String, String> annotations) {

	public AppStatus {
		drift = List.copyOf(drift);
		labels = Map.copyOf(labels);
		annotations = Map.copyOf(annotations);
	}

	/** {@code Deployment/namespace/name}: unique among the apps. */
	public String id() {
		return id(this.kind, this.namespace, this.name);
	}

	/** {@code namespace/name}, as claims and outcomes name an app. */
	public String qualifiedName() {
		return this.namespace + "/" + this.name;
	}

	static String id(String kind, String namespace, String name) {
		return kind + "/" + namespace + "/" + name;
	}

}
