package dev.unidler.admin;

import java.util.Map;
import java.util.Optional;

import dev.unidler.restart.WorkloadRollout;

/**
 * Workload kinds as API paths name them, the way Kubernetes' own paths do.
 */
final class WorkloadKinds {

	private static final Map<String, String> BY_PATH = Map.of("deployments", WorkloadRollout.DEPLOYMENT, "statefulsets",
			WorkloadRollout.STATEFUL_SET);

	private WorkloadKinds() {
	}

	static Optional<String> fromPath(String segment) {
		return Optional.ofNullable(BY_PATH.get(segment));
	}

	static String toPath(String kind) {
		return WorkloadRollout.STATEFUL_SET.equals(kind) ? "statefulsets" : "deployments";
	}

}
