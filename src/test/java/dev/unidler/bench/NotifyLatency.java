package dev.unidler.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.unidler.bench.Figure.Goal;

/**
 * Scenarios 1 and 2: one app, woken with 1, 30 and 1,000 subscribers on its
 * {@code /events}; how long {@code ready} takes to reach every subscriber once the API
 * shows the app available and routable, and what the wake costs the API server.
 * <p>
 * The app is made slow on purpose: its pods select a node label no node has, so the wake
 * waits in {@code await-available} until every subscriber is connected and has had an
 * event. Only then does the benchmark put the label on its node, the scheduler binds the
 * pod, KWOK runs it, and the latency measured is that of the notification, not of
 * connecting.
 */
final class NotifyLatency {

	private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(90);

	private static final Duration WAKE_TIMEOUT = Duration.ofSeconds(120);

	/**
	 * Time after the last {@code ready} for the wake's last requests (its Lease's
	 * release).
	 */
	private static final Duration SETTLE = Duration.ofSeconds(1);

	private final BenchRun run;

	private final UnidlerProcess unidler;

	private final HttpLoad load;

	private final String namespace;

	private final List<String> details = new ArrayList<>();

	private String awakeHost;

	NotifyLatency(BenchRun run, UnidlerProcess unidler, HttpLoad load, String namespace) {
		this.run = run;
		this.unidler = unidler;
		this.load = load;
		this.namespace = namespace;
	}

	/** A host whose app the scenario woke, for requests to an awake app. */
	String awakeHost() {
		return this.awakeHost;
	}

	/**
	 * @return the latency section and the API-requests section
	 */
	List<Section> measure() throws Exception {
		// A wake that is not measured, so that both JVMs have loaded and compiled what a
		// wake runs before the first figure.
		wake(1, 0);
		this.details.clear();
		Map<Integer, List<WakeResult>> results = new LinkedHashMap<>();
		for (int subscribers : this.run.settings().subscribers()) {
			List<WakeResult> wakes = new ArrayList<>();
			for (int i = 1; i <= this.run.settings().latencyRuns(); i++) {
				wakes.add(wake(subscribers, i));
			}
			results.put(subscribers, wakes);
		}
		List<Figure> latency = new ArrayList<>();
		results.forEach((subscribers, wakes) -> {
			String who = BenchRun.count(subscribers) + ((subscribers == 1) ? " subscriber" : " subscribers");
			if (subscribers > 1) {
				latency.add(Figure.of("notify latency, first subscriber of " + BenchRun.count(subscribers), "ms",
						wakes.stream().map(WakeResult::first).toList(), null));
			}
			latency
				.add(Figure.of("notify latency p50, " + who, "ms", wakes.stream().map(WakeResult::p50).toList(), null));
			Goal goal = (subscribers == this.run.settings().mostSubscribers())
					? Goal.atMost(50, "p99 ≤ 50 ms at 1,000 subscribers") : null;
			latency
				.add(Figure.of("notify latency p99, " + who, "ms", wakes.stream().map(WakeResult::p99).toList(), goal));
			latency.add(Figure.of("subscribers without ready, " + who, "",
					wakes.stream().map((w) -> (double) w.missing()).toList(), Goal.atMost(0, "0")));
		});
		List<Figure> requests = new ArrayList<>();
		int fewest = this.run.settings().subscribers().get(0);
		int most = this.run.settings().mostSubscribers();
		Map<Integer, Figure> reads = new LinkedHashMap<>();
		for (int subscribers : List.of(fewest, most)) {
			List<WakeResult> wakes = results.get(subscribers);
			String who = BenchRun.count(subscribers) + ((subscribers == 1) ? " subscriber" : " subscribers");
			// The reads a wake makes before it writes: a fresh look is what the issue
			// asks
			// for there. The goal is about requests: see the figure after the loop.
			Figure wakeReads = Figure.of("API reads (get, list) per wake, " + who, "",
					wakes.stream().map((w) -> (double) w.requests().reads()).toList(), null);
			reads.put(subscribers, wakeReads);
			requests.add(wakeReads);
			requests.add(Figure.of("API watches opened per wake, " + who, "",
					wakes.stream().map((w) -> (double) w.requests().watches()).toList(), Goal.atMost(0, "0")));
			requests.add(Figure.of("API writes to the app per wake, " + who, "",
					wakes.stream().map((w) -> (double) w.requests().appWrites()).toList(), Goal.atMost(3, "≤ 3")));
			requests.add(Figure.of("API writes to Leases per wake, " + who, "",
					wakes.stream().map((w) -> (double) w.requests().leaseWrites()).toList(), null));
			requests.add(Figure.of("threads peak during the wake, " + who, "",
					wakes.stream().map((w) -> (double) w.threads()).toList(), null));
			this.details.add("one wake, " + who + ": " + wakes.get(wakes.size() - 1).requests().byVerbAndResource());
		}
		// Every subscriber is a request for the app's host: what the extra subscribers of
		// the largest wake cost the API, each.
		double perRequest = (most > fewest)
				? Math.max(0, reads.get(most).median() - reads.get(fewest).median()) / (most - fewest) : Double.NaN;
		requests.add(Figure.single(
				"API reads per request for an idled app's host (" + BenchRun.count(most) + " vs "
						+ BenchRun.count(fewest) + " subscribers)",
				"", perRequest, Goal.atMost(0.01, "0 per request")));
		Section latencySection = new Section("Notify latency",
				"""
						After one wake that is not measured (warm-up), per run a new idled app (replicas-when-unidled 1) whose pods select a node label no node has yet. \
						The subscribers (`GET /events`, `Accept: text/event-stream`, one connection each) connect; once \
						every one has had an event, the label goes on the benchmark's node and the app starts. The \
						benchmark watches the app's Deployment and EndpointSlices itself (admin client) and notes when \
						the Deployment is first seen with an available replica and when a ready endpoint is first seen; \
						each subscriber notes when it reads `event:ready`. Latency = `ready` received − the later of \
						the two; p50 and p99 over the subscribers of a run (nearest rank). The first subscriber's latency \
						is how soon the unidler noticed; the rest is how long it took to tell everyone. Both watches and the unidler \
						see the API through watches of their own, so a latency can come out slightly negative.""",
				latency, List.of());
		Section requestSection = new Section("API requests per wake", """
				The unidler's requests in the audit log from just before the first subscriber connects to 1 s \
				after the last `ready` (the wake's Lease is released after `ready`), for the same wakes as the \
				notify latency.""", requests, this.details);
		return List.of(latencySection, requestSection);
	}

	private WakeResult wake(int subscribers, int runIndex) throws Exception {
		String label = "bench.unidler.dev/" + this.namespace + "-" + subscribers + "-" + runIndex;
		BenchApp app = BenchApp.of(this.namespace, "wake-" + subscribers + "-" + runIndex, label);
		this.run.cluster().createIdledApps(List.of(app), Duration.ofSeconds(30));
		List<EventStream> streams = List.of();
		try (AppWatch watch = AppWatch.start(this.run.watching(), app)) {
			AuditLog audit = this.run.audit();
			long mark = audit.mark();
			try (ThreadSampler threads = ThreadSampler.start(this.unidler)) {
				streams = this.load.openStreams(Collections.nCopies(subscribers, app.host()), CONNECT_TIMEOUT);
				List<String> early = BenchRun.problems(streams);
				if (!early.isEmpty() || streams.stream().anyMatch(EventStream::isReady)) {
					throw new IllegalStateException("The wake of " + app.host() + " ended before the app could start: "
							+ early + " (unidler log: " + this.unidler.log() + ")");
				}
				this.run.cluster().labelNode(label);
				List<EventStream> all = streams;
				BenchRun.await(() -> all.stream().allMatch(EventStream::isDone) && watch.seenNanos() != 0,
						WAKE_TIMEOUT);
				Thread.sleep(SETTLE);
				ApiRequests requests = audit.since(mark);
				long seen = watch.seenNanos();
				List<Double> latencies = new ArrayList<>();
				for (EventStream stream : streams) {
					if (stream.isReady() && seen != 0) {
						latencies.add((stream.readyNanos() - seen) / 1e6);
					}
				}
				int missing = subscribers - latencies.size();
				if (missing > 0) {
					this.details.add("wake " + app.name() + ": " + missing + " of " + subscribers
							+ " subscribers got no ready" + ((seen == 0) ? " (the app was never seen routable)" : "")
							+ ": " + BenchRun.problems(streams) + stalls(streams) + "; thread dumps in "
							+ ThreadDumps.write(this.run.work(), app.name(), this.unidler.pid()));
				}
				this.awakeHost = app.host();
				return new WakeResult(Percentiles.of(latencies, 0), Percentiles.of(latencies, 50),
						Percentiles.of(latencies, 99), missing, requests, threads.peak());
			}
		}
		finally {
			HttpLoad.close(streams);
		}
	}

	/**
	 * The streams still open without {@code ready}: whether heartbeats still came says
	 * whether the whole stream or only its events stalled.
	 */
	private static String stalls(List<EventStream> streams) {
		return streams.stream()
			.filter((stream) -> !stream.isDone())
			.map((stream) -> "; open without ready after " + stream.events() + " events and " + stream.comments()
					+ " heartbeats")
			.distinct()
			.collect(java.util.stream.Collectors.joining());
	}

	/**
	 * One wake's figures.
	 *
	 * @param first the first subscriber's latency, ms
	 * @param p50 median latency, ms
	 * @param p99 99th percentile latency, ms
	 * @param missing subscribers that got no {@code ready}
	 * @param requests the unidler's API requests during the wake
	 * @param threads the unidler's peak thread count during the wake
	 */
	record WakeResult(double first, double p50, double p99, int missing, ApiRequests requests, int threads) {

	}

}
