package dev.unidler.restart;

/**
 * One restart to carry out: the workload, and what every pod template change of this run
 * records.
 *
 * @param workload the workload, as found
 * @param restartedAt when this run began, RFC 3339 in UTC, to the millisecond so that two
 * runs in one second are two rollouts
 * @param reason why, as the first caller said it
 * @param requestedBy the token name of the first caller, for the log
 */
record Restart(Workload workload, String restartedAt, String reason, String requestedBy) {

	WorkloadRef ref() {
		return this.workload.ref();
	}

}
