package dev.unidler.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.unidler.bench.Figure.Goal;

/**
 * Scenario 4: 1,000 different apps woken at once, one subscriber each; and the memory the
 * unidler's cache takes for 10,000 labelled apps.
 */
final class Fleet {

	private Fleet() {
	}

	static Section wakeAll(BenchRun run, UnidlerProcess unidler, HttpLoad load, String namespace) throws Exception {
		int size = run.settings().fleet();
		List<BenchApp> apps = new ArrayList<>();
		for (int i = 0; i < size; i++) {
			apps.add(BenchApp.of(namespace, "app-" + i, null));
		}
		long creating = System.nanoTime();
		run.cluster().createIdledApps(apps, Duration.ofMinutes(3));
		double createSeconds = (System.nanoTime() - creating) / 1e9;
		Thread.sleep(1_000);
		int threadsBefore = unidler.threads();
		AuditLog audit = run.audit();
		long mark = audit.mark();
		List<EventStream> streams = List.of();
		try (ThreadSampler threads = ThreadSampler.start(unidler);
				FleetWatch api = FleetWatch.start(run.watching(), namespace, size)) {
			long start = System.nanoTime();
			streams = load.openStreams(apps.stream().map(BenchApp::host).toList(), Duration.ofMinutes(2));
			List<EventStream> all = streams;
			BenchRun.await(() -> all.stream().allMatch(EventStream::isDone), run.settings().fleetTimeout());
			long last = streams.stream().mapToLong(EventStream::readyNanos).max().orElse(0);
			long ready = streams.stream().filter(EventStream::isReady).count();
			Thread.sleep(1_000);
			ApiRequests requests = audit.since(mark);
			String who = BenchRun.count(size) + " apps";
			List<Figure> figures = new ArrayList<>();
			figures
				.add(Figure.single("apps ready, " + who, "", ready, Goal.atLeast(size, "all " + BenchRun.count(size))));
			figures.add(Figure.single("time to the last ready, " + who, "s",
					(ready == size) ? (last - start) / 1e9 : Double.NaN, null));
			figures.add(Figure.single("of which the control plane: last app available in the API", "s",
					(api.allAvailableNanos() != 0) ? (api.allAvailableNanos() - start) / 1e9 : Double.NaN, null));
			figures.add(Figure.single("of which the control plane: last app routable in the API", "s",
					(api.allRoutableNanos() != 0) ? (api.allRoutableNanos() - start) / 1e9 : Double.NaN, null));
			figures.add(Figure.single("threads before, " + who, "", threadsBefore, null));
			figures.add(Figure.single("threads peak, " + who, "", threads.peak(), Goal.atMost(threadsBefore + 32,
					"independent of wakes (≤ before + 32; a thread per wake would add " + BenchRun.count(size) + ")")));
			// Fresh reads before writes, the Leases' renewals and the pods' looks while
			// the
			// control plane takes its time: per wake, not per request.
			figures.add(Figure.single("API reads per wake, " + who, "", requests.reads() / (double) size, null));
			figures.add(Figure.single("API watches opened, " + who, "", requests.watches(),
					Goal.atMost(size / 100.0, "none per wake (the informers' own re-watches aside)")));
			figures.add(Figure.single("API writes to apps per wake, " + who, "", requests.appWrites() / (double) size,
					Goal.atMost(3, "≤ 3")));
			figures.add(Figure.single("API writes to Leases per wake, " + who, "",
					requests.leaseWrites() / (double) size, null));
			figures.add(Figure.single("time to create " + who + " (" + BenchRun.count(2L * size) + " objects)", "s",
					createSeconds, null));
			List<String> details = new ArrayList<>();
			details.add(who + " waking: " + requests.byVerbAndResource());
			BenchRun.problems(streams).forEach((problem) -> details.add("stream problem: " + problem));
			return new Section("Many apps waking at once",
					"""
							As many idled apps (replicas-when-unidled 1, schedulable) are created (12 at a time), then one \
							subscriber per app connects at once (at most 200 connecting at a time), which starts every \
							wake. Time to the last ready is from the first connection to the last `ready`; the benchmark's \
							own watches of the namespace say when the last Deployment was first seen available and the \
							last Service's endpoint ready, from the same start, which is the control plane's share; threads are \
							sampled every 100 ms from just before; the unidler's requests are those in the audit log from \
							just before the first connection to 1 s after the last answer.""",
					figures, details);
		}
		finally {
			HttpLoad.close(streams);
		}
	}

	static Section labelledApps(BenchRun run, UnidlerProcess unidler, HttpLoad load, String namespace)
			throws Exception {
		int size = run.settings().labelledApps();
		List<BenchApp> apps = new ArrayList<>();
		for (int i = 0; i < size; i++) {
			apps.add(new BenchApp(namespace, "idle-" + i, "idle-" + i + "." + namespace + ".bench.test",
					BenchCluster.NEVER_LABEL, true));
		}
		long heapBefore = unidler.heapAfterGcKiB();
		long rssBefore = unidler.rssKiB();
		long creating = System.nanoTime();
		run.cluster().createIdledApps(apps, Duration.ofMinutes(5));
		double createSeconds = (System.nanoTime() - creating) / 1e9;
		// The cache has them all once the last ones created are known (their pages are
		// not
		// 404); each probe starts a wake that waits for ever, which the heap barely
		// notices.
		List<String> probes = apps.subList(Math.max(0, size - 12), size).stream().map(BenchApp::host).toList();
		reactor.netty.http.client.HttpClient pages = load.pages(12);
		boolean known = BenchRun
			.await(() -> HttpLoad.each(probes, 12, (host) -> HttpLoad.page(pages, host), Duration.ofSeconds(30))
				.stream()
				.noneMatch((status) -> status == 404 || status == 0), Duration.ofMinutes(2));
		Thread.sleep(1_000);
		long heapAfter = unidler.heapAfterGcKiB();
		long rssAfter = unidler.rssKiB();
		String who = BenchRun.count(size) + " labelled apps";
		List<Figure> figures = List.of(
				Figure.single("heap after GC, " + who, "MiB", known ? heapAfter / 1024.0 : Double.NaN, null),
				Figure.single("heap per labelled app", "KiB",
						known ? (heapAfter - heapBefore) / (double) size : Double.NaN, null),
				Figure.single("RSS, " + who, "MiB", rssAfter / 1024.0, null),
				Figure.single("time to create " + who + " (" + BenchRun.count(2L * size) + " objects)", "s",
						createSeconds, null));
		return new Section("Memory for many labelled apps", """
				Idled apps (a Deployment and an `ExternalName` Service each, both labelled) are created, 12 at a \
				time, in a namespace of their own; their Deployments are paused so that the controller-manager \
				spends no time on ReplicaSets (the objects the unidler caches are the same). Heap after a full \
				collection before and once the unidler knows the last ones created; per app = the difference \
				÷ apps.""", figures, List.of("before: heap after GC " + Figure.number(heapBefore / 1024.0)
				+ " MiB, RSS " + Figure.number(rssBefore / 1024.0) + " MiB"));
	}

}
