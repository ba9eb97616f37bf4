package dev.unidler.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import dev.unidler.bench.Figure.Goal;

/**
 * Scenario 3: 10,000 browsers waiting on one app at once, with heartbeats every second
 * (the unidler's default is 15 s; more often is harder). The app's pods can never be
 * scheduled, so the wake keeps waiting and every stream stays open.
 */
final class WaitingClients {

	private static final Duration CONNECT_TIMEOUT = Duration.ofMinutes(3);

	private WaitingClients() {
	}

	static Section measure(BenchRun run, UnidlerProcess unidler, HttpLoad load, String namespace) throws Exception {
		BenchApp app = BenchApp.of(namespace, "waiting", BenchCluster.NEVER_LABEL);
		run.cluster().createIdledApps(List.of(app), Duration.ofSeconds(30));
		int clients = run.settings().waitingClients();
		// One stream starts the wake, so that the baseline holds the wake and the
		// difference is the streams' alone.
		List<EventStream> first = load.openStreams(List.of(app.host()), Duration.ofSeconds(30));
		List<EventStream> streams = List.of();
		try {
			Thread.sleep(1_000);
			long heapBefore = unidler.heapAfterGcKiB();
			long rssBefore = unidler.rssKiB();
			int threadsBefore = unidler.threads();
			long connecting = System.nanoTime();
			try (ThreadSampler threads = ThreadSampler.start(unidler)) {
				streams = load.openStreams(Collections.nCopies(clients, app.host()), CONNECT_TIMEOUT);
				double connectSeconds = (System.nanoTime() - connecting) / 1e9;
				int[] heartbeatsBefore = streams.stream().mapToInt(EventStream::comments).toArray();
				Thread.sleep(run.settings().hold());
				int errors = 0;
				int starved = 0;
				for (int i = 0; i < streams.size(); i++) {
					EventStream stream = streams.get(i);
					if (stream.problem() != null || stream.ended()) {
						errors++;
					}
					else if (stream.comments() == heartbeatsBefore[i]) {
						starved++;
					}
				}
				long heapAfter = unidler.heapAfterGcKiB();
				long rssAfter = unidler.rssKiB();
				double perConnection = (heapAfter - heapBefore) * 1024.0 / clients;
				String who = BenchRun.count(clients) + " clients";
				List<Figure> figures = new ArrayList<>();
				figures.add(Figure.single("errors (stream failed or ended), " + who, "", errors, Goal.atMost(0, "0")));
				figures.add(Figure.single(
						"streams without a heartbeat in " + run.settings().hold().toSeconds() + " s, " + who, "",
						starved, Goal.atMost(0, "0")));
				figures.add(Figure.single("heap after GC, " + who, "MiB", heapAfter / 1024.0, null));
				figures.add(Figure.single("heap per connection", "KiB", perConnection / 1024.0,
						Goal.atMost(16, "≤ 16 KiB")));
				figures.add(Figure.single("RSS, " + who, "MiB", rssAfter / 1024.0, null));
				figures
					.add(Figure.single("RSS per connection", "KiB", (rssAfter - rssBefore) / (double) clients, null));
				figures.add(Figure.single("threads peak, " + who, "", threads.peak(), null));
				figures.add(Figure.single("time to connect " + who, "s", connectSeconds, null));
				List<String> details = new ArrayList<>();
				details.add("before the clients: heap after GC " + Figure.number(heapBefore / 1024.0) + " MiB, RSS "
						+ Figure.number(rssBefore / 1024.0) + " MiB, " + threadsBefore + " threads");
				BenchRun.problems(streams).forEach((problem) -> details.add("stream problem: " + problem));
				return new Section("Waiting SSE clients",
						"""
								One app whose pods can never be scheduled; the unidler runs with \
								`UNIDLER_EVENTS_HEARTBEAT=%s`. One stream starts the wake; then the heap after a full \
								collection, RSS and threads are read, the clients connect (one connection each, at most \
								200 connecting at a time) and are held open %d s. Errors are streams that failed or ended; \
								a stream that got no heartbeat while held counts apart. Heap per connection = (heap after \
								GC with the clients − before) ÷ clients."""
							.formatted(run.settings().heartbeat().toSeconds() + "s", run.settings().hold().toSeconds()),
						figures, details);
			}
		}
		finally {
			HttpLoad.close(streams);
			HttpLoad.close(first);
		}
	}

}
