package dev.unidler.restart;

import java.util.Objects;

/**
 * Where a rollout stands, decided exactly as {@code kubectl rollout status} decides it,
 * so that "done" here means what platform engineers already trust it to mean: every pod
 * replaced by the new template and available, and no old pod left.
 */
public sealed interface RolloutStatus {

	/** A sentence for people. */
	String message();

	/**
	 * The status of a workload's rollout.
	 * @param rollout the workload as it is now
	 * @return done, still rolling, or stuck
	 */
	static RolloutStatus of(WorkloadRollout rollout) {
		return WorkloadRollout.STATEFUL_SET.equals(rollout.kind()) ? statefulSet(rollout) : deployment(rollout);
	}

	/**
	 * The workload has not yet taken up the restart's new pod template.
	 * @param rollout the workload as it is now
	 * @return still rolling
	 */
	static RolloutStatus notPickedUp(WorkloadRollout rollout) {
		return new Rolling("Waiting for the restart to be picked up", rollout.updated(), rollout.desired());
	}

	private static RolloutStatus deployment(WorkloadRollout d) {
		if (d.generation() > d.observedGeneration()) {
			return notPickedUp(d);
		}
		if (d.progressDeadlineExceeded()) {
			return new Stuck("The rollout exceeded its progress deadline");
		}
		if (d.updated() < d.desired()) {
			return new Rolling(d.updated() + " of " + d.desired() + " pods replaced", d.updated(), d.desired());
		}
		if (d.replicas() > d.updated()) {
			int old = d.replicas() - d.updated();
			return new Rolling(old + " old " + pods(old) + " still stopping", d.updated(), d.desired());
		}
		if (d.available() < d.updated()) {
			return new Rolling(d.available() + " of " + d.updated() + " new pods available", d.updated(), d.desired());
		}
		return new Done("All " + d.desired() + " " + pods(d.desired()) + " replaced and available");
	}

	private static RolloutStatus statefulSet(WorkloadRollout s) {
		if (!s.rollingUpdate()) {
			return new Stuck("The StatefulSet replaces pods only when they are deleted (OnDelete), so a restart "
					+ "cannot be followed");
		}
		if (s.observedGeneration() == 0 || s.generation() > s.observedGeneration()) {
			return notPickedUp(s);
		}
		if (s.ready() < s.desired()) {
			return new Rolling(s.ready() + " of " + s.desired() + " pods ready", s.updated(), s.desired());
		}
		if (s.partition() > 0) {
			int expected = Math.max(0, s.desired() - s.partition());
			if (s.updated() < expected) {
				return new Rolling(s.updated() + " of " + expected + " pods above the partition replaced", s.updated(),
						expected);
			}
			return new Done(s.updated() + " " + pods(s.updated()) + " above the partition replaced");
		}
		if (!Objects.equals(s.updateRevision(), s.currentRevision())) {
			return new Rolling(s.updated() + " of " + s.desired() + " pods replaced", s.updated(), s.desired());
		}
		return new Done("All " + s.desired() + " " + pods(s.desired()) + " replaced and ready");
	}

	private static String pods(int count) {
		return (count == 1) ? "pod" : "pods";
	}

	/**
	 * Every pod runs the new template and is available.
	 *
	 * @param message a sentence for people
	 */
	record Done(String message) implements RolloutStatus {

	}

	/**
	 * Still rolling.
	 *
	 * @param message a sentence for people
	 * @param replaced pods of the new template so far
	 * @param desired pods of the new template when done
	 */
	record Rolling(String message, int replaced, int desired) implements RolloutStatus {

	}

	/**
	 * The rollout will not finish by waiting.
	 *
	 * @param message a sentence for people
	 */
	record Stuck(String message) implements RolloutStatus {

	}

}
