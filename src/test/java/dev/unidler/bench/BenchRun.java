package dev.unidler.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import io.kubernetes.client.openapi.ApiClient;

/**
 * What every scenario of one run shares.
 *
 * @param settings the sizes
 * @param cluster the control plane, as an admin
 * @param watching an admin client without read timeout, for the benchmark's own watches
 * @param launcher how the unidler is started
 * @param unidlerKubeconfig the kubeconfig of the unidler's own identity
 * @param work where logs and kubeconfigs go
 */
record BenchRun(BenchSettings settings, BenchCluster cluster, ApiClient watching, Launcher launcher,
		Path unidlerKubeconfig, Path work) {

	static final Duration START_TIMEOUT = Duration.ofSeconds(90);

	/** The unidler's settings for the benchmark (docs/benchmarks.md says why each). */
	Map<String, String> environment(Map<String, String> extra) {
		Map<String, String> env = new HashMap<>();
		env.put("UNIDLER_KUBECONFIG", this.unidlerKubeconfig.toString());
		env.put("POD_NAMESPACE", BenchCluster.NAMESPACE);
		env.put("UNIDLER_IDLE_SCHEDULES", "false");
		env.put("UNIDLER_WAKE_DEADLINE", "15m");
		env.put("UNIDLER_WAKE_UNSCHEDULABLEGRACE", "15m");
		env.putAll(extra);
		return env;
	}

	/** Starts a unidler process; its output goes to {@code <work>/<name>.log}. */
	UnidlerProcess start(String name, Map<String, String> extra) throws IOException, InterruptedException {
		return UnidlerProcess.start(this.launcher, environment(extra), this.work.resolve(name + ".log"), START_TIMEOUT);
	}

	AuditLog audit() {
		return this.cluster.audit();
	}

	/**
	 * Waits until a condition holds, looking every 20 ms.
	 * @return whether it held before the timeout
	 */
	static boolean await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				return false;
			}
			Thread.sleep(20);
		}
		return true;
	}

	/** Thousands separators, for names such as "1,000 subscribers". */
	static String count(long n) {
		return Figure.number(n);
	}

	/** The problems of the streams that had one, summarised. */
	static List<String> problems(List<EventStream> streams) {
		Map<String, Long> counts = new HashMap<>();
		for (EventStream stream : streams) {
			String problem = stream.problem();
			if (problem == null && !stream.isReady() && stream.ended()) {
				problem = "ended without ready";
			}
			if (problem != null) {
				counts.merge((problem.length() > 160) ? problem.substring(0, 160) + "…" : problem, 1L, Long::sum);
			}
		}
		return counts.entrySet().stream().map((e) -> e.getValue() + " × " + e.getKey()).sorted().toList();
	}

}
