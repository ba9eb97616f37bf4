package dev.unidler.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.unidler.bench.Figure.Goal;

/**
 * Start-up to healthy, and what an idle unidler costs: fresh processes, each timed from
 * just before it is started to the first {@code 200} of {@code /healthz}; RSS and threads
 * read from {@code /proc/<pid>/status} 2 s later.
 */
final class StartUp {

	private StartUp() {
	}

	/**
	 * @param run the run
	 * @return the section, and the last process, still running, for the next scenarios
	 */
	static Result measure(BenchRun run) throws Exception {
		List<Double> startUps = new ArrayList<>();
		List<Double> rss = new ArrayList<>();
		List<Double> threads = new ArrayList<>();
		UnidlerProcess last = null;
		int runs = run.settings().startUpRuns();
		for (int i = 0; i < runs; i++) {
			UnidlerProcess process = run.start("start-up-" + (i + 1), Map.of());
			try {
				startUps.add((double) process.startUp().toMillis());
				Thread.sleep(2_000);
				rss.add(process.rssKiB() / 1024.0);
				threads.add((double) process.threads());
			}
			finally {
				if (i < runs - 1) {
					process.close();
				}
				else {
					last = process;
				}
			}
		}
		double heap = last.heapAfterGcKiB() / 1024.0;
		Section section = new Section("Start-up and idle", """
				A fresh unidler process per run, started as `%s` against the cluster, timed from just before \
				the process starts to the first `200` of `/healthz` (polled every 10 ms; the unidler answers \
				`200` only once its cluster cache has synced). RSS and threads are read from \
				`/proc/<pid>/status` 2 s after it is healthy; heap after a full collection \
				(`jcmd <pid> GC.run`, then `GC.heap_info`) of the last run.""".formatted(run.launcher().description()),
				List.of(Figure.of("start-up to healthy", "ms", startUps, Goal.atMost(3_000, "≤ 3,000 ms")),
						Figure.of("RSS idle", "MiB", rss, Goal.atMost(200, "≤ 200 MiB")),
						Figure.of("threads idle", "", threads, null),
						Figure.single("heap after GC, idle", "MiB", heap, null)),
				List.of());
		return new Result(section, last);
	}

	/**
	 * @param section the figures
	 * @param process the last process, still running
	 */
	record Result(Section section, UnidlerProcess process) {

	}

}
