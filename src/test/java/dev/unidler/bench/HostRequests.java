package dev.unidler.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import dev.unidler.bench.Figure.Goal;
import reactor.netty.http.client.HttpClient;

/**
 * Scenario 2's other half: requests for hosts no app has (a flood of invented hosts), and
 * for a host whose app is awake (requests that still reach the unidler while routes
 * settle). Neither may cost the API server a request: the cache answers.
 */
final class HostRequests {

	private static final int CONCURRENCY = 50;

	private static final Duration TIMEOUT = Duration.ofSeconds(120);

	private HostRequests() {
	}

	static Section measure(BenchRun run, HttpLoad load, String namespace, String awakeHost) throws Exception {
		HttpClient pages = load.pages(CONCURRENCY);
		List<String> unknown = new ArrayList<>();
		for (int i = 0; i < run.settings().unknownHosts(); i++) {
			unknown.add("nobody-" + i + "." + namespace + ".bench.test");
		}
		List<String> details = new ArrayList<>();
		List<Figure> figures = new ArrayList<>();
		String unknownName = BenchRun.count(unknown.size()) + " requests for unknown hosts";
		ApiRequests unknownRequests = requests(run, pages, unknown, details, unknownName);
		figures.add(Figure.single("API requests, " + unknownName, "", unknownRequests.total(), Goal.atMost(0, "0")));
		List<String> awake = java.util.Collections.nCopies(run.settings().awakeRequests(), awakeHost);
		String awakeName = BenchRun.count(awake.size()) + " requests for an awake app's host";
		ApiRequests awakeRequests = requests(run, pages, awake, details, awakeName);
		figures.add(Figure.single("API requests, " + awakeName, "", awakeRequests.total(), Goal.atMost(0, "0")));
		return new Section("API requests for unknown and awake hosts", """
				`GET /` with `Accept: text/html` and the `Host` of an app nobody has (`nobody-<n>.…`, all \
				different), then as many for the host of an app the latency runs woke; %d at a time. The \
				unidler's requests in the audit log from just before the first to 1 s after the last answer."""
			.formatted(CONCURRENCY), figures, details);
	}

	private static ApiRequests requests(BenchRun run, HttpClient pages, List<String> hosts, List<String> details,
			String name) throws InterruptedException {
		AuditLog audit = run.audit();
		long mark = audit.mark();
		List<Integer> statuses = HttpLoad.each(hosts, CONCURRENCY, (host) -> HttpLoad.page(pages, host), TIMEOUT);
		Thread.sleep(1_000);
		ApiRequests requests = audit.since(mark);
		Map<Integer, Long> byStatus = statuses.stream()
			.collect(Collectors.groupingBy((status) -> status, TreeMap::new, Collectors.counting()));
		details.add(name + ": answers "
				+ byStatus.entrySet()
					.stream()
					.map((e) -> ((e.getKey() == 0) ? "failed" : "HTTP " + e.getKey()) + " ×" + e.getValue())
					.collect(Collectors.joining(", "))
				+ "; API requests: " + requests.byVerbAndResource());
		return requests;
	}

}
