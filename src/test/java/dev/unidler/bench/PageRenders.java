package dev.unidler.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import dev.unidler.bench.Figure.Goal;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * Scenario 5: the waiting page of an app that is waking (its pods cannot be scheduled, so
 * it stays waiting), asked for by browsers: a closed loop of {@code GET /} with
 * {@code Accept: text/html} on 10 and 100 connections.
 */
final class PageRenders {

	/**
	 * The longest a page may take before it counts as an error: a browser gives up too,
	 * and the loop must end even if a request never gets an answer.
	 */
	static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

	private PageRenders() {
	}

	static Section measure(BenchRun run, UnidlerProcess unidler, HttpLoad load, String namespace) throws Exception {
		BenchApp app = BenchApp.of(namespace, "page", BenchCluster.NEVER_LABEL);
		run.cluster().createIdledApps(List.of(app), Duration.ofSeconds(30));
		int cores = Runtime.getRuntime().availableProcessors();
		List<Figure> figures = new ArrayList<>();
		List<String> details = new ArrayList<>();
		// The first page starts the wake; a short loop warms both JVMs up.
		Loop warmUp = loop(load.pages(10), app.host(), 10, Duration.ofSeconds(1));
		Diagnosis diagnosis = new Diagnosis(run, unidler);
		diagnosis.look("warm-up", warmUp);
		for (int connections : run.settings().renderConnections()) {
			HttpClient client = load.pages(connections);
			List<Double> rates = new ArrayList<>();
			List<Double> p99s = new ArrayList<>();
			List<Double> errors = new ArrayList<>();
			List<Double> perCpuSecond = new ArrayList<>();
			for (int i = 0; i < run.settings().renderRuns(); i++) {
				double cpu = unidler.cpuSeconds();
				Loop loop = loop(client, app.host(), connections, run.settings().renderTime());
				perCpuSecond.add(loop.renders() / Math.max(0.01, unidler.cpuSeconds() - cpu));
				rates.add(loop.renders() / loop.seconds());
				p99s.add(Percentiles.of(loop.latencies(), 99));
				errors.add((double) loop.errors());
				diagnosis.look(BenchRun.count(connections) + " connections", loop);
			}
			String name = BenchRun.count(connections) + " connections";
			figures.add(Figure.of("waiting-page renders/s, " + name, "/s", rates, null));
			figures.add(Figure.of("waiting-page renders/s per core, " + name, "/s",
					rates.stream().map((rate) -> rate / cores).toList(), Goal.atLeast(5_000, "≥ 5,000/s per core")));
			figures
				.add(Figure.of("waiting-page renders per CPU-second of the unidler, " + name, "", perCpuSecond, null));
			figures.add(Figure.of("waiting-page p99, " + name, "ms", p99s, Goal.atMost(10, "≤ 10 ms")));
			figures.add(Figure.of("waiting-page errors, " + name, "", errors, Goal.atMost(0, "0")));
		}
		details.add("per core = renders/s ÷ " + cores
				+ " cores, which the unidler shares with the load generator and the control plane; per CPU-second of "
				+ "the unidler = renders ÷ the CPU time (user + system, /proc/<pid>/stat) the unidler used meanwhile");
		details.addAll(diagnosis.findings());
		return new Section("Waiting-page renders", """
				A closed loop: each connection sends `GET /` (`Accept: text/html`, the `Host` of an app that is \
				waking and stays waiting) as soon as the previous answer has been read in full, for %s s per run, \
				after a 1 s warm-up. Renders are `200` answers; latency is from sending to the last byte, p99 by \
				nearest rank over every request of a run."""
			.formatted(Figure.number(run.settings().renderTime().toMillis() / 1000.0)), figures, details);
	}

	private static Loop loop(HttpClient client, String host, int connections, Duration time) {
		Queue<Double> latencies = new ConcurrentLinkedQueue<>();
		AtomicLong errors = new AtomicLong();
		AtomicLong timeouts = new AtomicLong();
		long start = System.nanoTime();
		long end = start + time.toNanos();
		java.util.Map<String, String> phases = new java.util.concurrent.ConcurrentHashMap<>();
		AtomicLong ids = new AtomicLong();
		HttpClient traced = client
			.doOnRequest((req, c) -> phases.put(req.requestHeaders().get("X-Bench-Request"),
					"connected " + c.channel().localAddress() + ", sending"))
			.doAfterRequest((req, c) -> phases.put(req.requestHeaders().get("X-Bench-Request"),
					"sent on " + c.channel().localAddress() + ", no response"))
			.doOnResponse((res, c) -> phases.put(res.requestHeaders().get("X-Bench-Request"),
					"headers " + res.status() + " on " + c.channel().localAddress() + ", body pending"));
		Flux.range(0, connections).flatMap((i) -> Mono.defer(() -> {
			long sent = System.nanoTime();
			String id = Long.toString(ids.incrementAndGet());
			return HttpLoad.page(traced.headers((h) -> h.set("X-Bench-Request", id)), host)
				.timeout(REQUEST_TIMEOUT)
				.doOnError(TimeoutException.class, (ex) -> {
					timeouts.incrementAndGet();
					System.err
						.println("[bench] TIMEOUT request " + id + ": " + phases.getOrDefault(id, "never connected"));
				})
				.onErrorReturn(0)
				.doOnNext((status) -> {
					if (status == 200) {
						latencies.add((System.nanoTime() - sent) / 1e6);
					}
					else {
						errors.incrementAndGet();
					}
				});
		}).repeat(() -> System.nanoTime() < end), connections).then().block(time.plusSeconds(60));
		double seconds = (System.nanoTime() - start) / 1e9;
		return new Loop(List.copyOf(latencies), errors.get(), timeouts.get(), seconds);
	}

	/**
	 * One closed loop's outcome.
	 *
	 * @param latencies of the renders, ms
	 * @param errors answers other than {@code 200}, and failed requests
	 * @param timeouts requests without an answer within {@link #REQUEST_TIMEOUT} (counted
	 * in errors too)
	 * @param seconds how long the loop ran
	 */
	record Loop(List<Double> latencies, long errors, long timeouts, double seconds) {

		double renders() {
			return this.latencies.size();
		}

	}

	/**
	 * What the report says about requests that got no answer: how many, and where both
	 * processes stood when the first was seen (thread dumps in the run's directory),
	 * since a request that never ends is a bug to find, in the unidler or in the load
	 * generator.
	 */
	private static final class Diagnosis {

		private final BenchRun run;

		private final UnidlerProcess unidler;

		private final List<String> findings = new ArrayList<>();

		private boolean dumped;

		Diagnosis(BenchRun run, UnidlerProcess unidler) {
			this.run = run;
			this.unidler = unidler;
		}

		void look(String loop, Loop outcome) {
			if (outcome.timeouts() == 0) {
				return;
			}
			String finding = loop + ": " + outcome.timeouts() + " requests had no answer within "
					+ REQUEST_TIMEOUT.toSeconds() + " s (counted as errors)";
			if (!this.dumped) {
				this.dumped = true;
				finding += "; thread dumps in "
						+ ThreadDumps.write(this.run.work(), "page-renders", this.unidler.pid());
			}
			this.findings.add(finding);
		}

		List<String> findings() {
			return List.copyOf(this.findings);
		}

	}

}
