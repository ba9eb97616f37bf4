package dev.unidler.web;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Pattern;

import dev.unidler.cluster.IdledApp;
import dev.unidler.cluster.IdledAppSpec;
import dev.unidler.cluster.RealCluster;
import dev.unidler.cluster.TestCluster;
import dev.unidler.cluster.TestNamespace;
import dev.unidler.web.RequestEdgesTests.Snapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A thousand generated requests, over plain sockets, at the whole unidler running against
 * the real control plane with idled apps and unknown hosts: any host (bad ones, two of
 * them, none), method, path and headers (odd {@code Accept}, {@code Last-Event-ID},
 * crawlers, prefetch). None may get a server error (a {@code 503} is only ever the
 * designed "retry later", with {@code Retry-After}), none may leave a stack trace in the
 * log, and the apps that only got requests which must not wake them are exactly as the
 * idler left them.
 *
 * <p>
 * Seeded: the seed is printed, and {@code -Dunidler.seed=<seed>} replays the same
 * requests.
 */
@RealCluster
@ExtendWith(OutputCaptureExtension.class)
class GeneratedRequestsTests {

	private static final int REQUESTS = 1000;

	private static final Pattern STACK_FRAME = Pattern.compile("^\\s+at [\\w.$/]+\\(", Pattern.MULTILINE);

	private static final List<String> METHODS = List.of("GET", "GET", "GET", "GET", "POST", "PUT", "DELETE", "PATCH",
			"HEAD", "OPTIONS", "TRACE");

	private static final List<String> NOT_WAKING_METHODS = List.of("HEAD", "OPTIONS", "TRACE");

	private static final List<String> PATHS = List.of("/", "/report?q=1&x=%20", "/deep/link/", "/events", "/events/",
			"/healthz", "/robots.txt", "/favicon.ico", "/.unidler/unidler.css", "/.unidler/missing.js", "/%zz",
			"//double", "/a/../b", "/?" + "x".repeat(300), "/api/v1/things/42");

	private static final List<String> ACCEPTS = List.of("", "text/html", "text/html,application/xhtml+xml,*/*;q=0.8",
			"*/*", "text/event-stream", "application/json", "text/*", ";;;", "text/html;q=abc", "text/", "\"",
			"text/html;q=0", "text/event-stream;q=0", "text/html;q=2", "text/html, ;;;");

	private static final List<String> MALFORMED_ACCEPTS = List.of(";;;", "text/html;q=abc", "text/", "\"");

	private static final List<String> BROWSERS = List.of("",
			"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36",
			"curl/8.5.0", "python-requests/2.32", "\u00ff\u00fe odd agent", "Go-http-client/1.1");

	private static final List<String> BOTS = List.of("Mozilla/5.0 (compatible; Googlebot/2.1)",
			"Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)", "Mozilla/5.0+(compatible; UptimeRobot/2.0)",
			"facebookexternalhit/1.1", "Pingdom.com_bot_version_1.4", "Twitterbot/1.0");

	private static final List<String> PREFETCH = List.of("Sec-Purpose: prefetch", "Sec-Purpose: prefetch;prerender",
			"Purpose: prefetch", "X-Moz: prefetch");

	@Test
	void aThousandGeneratedRequestsGetNoServerErrorLeaveNoStackTraceAndWakeNothingThatMustNotWake(TestCluster cluster,
			TestNamespace ns, CapturedOutput output) {
		long seed = Long.getLong("unidler.seed", System.nanoTime());
		System.out.println("GeneratedRequestsTests seed=" + seed + " (replay with -Dunidler.seed=" + seed + ")");
		Random random = new Random(seed);
		List<IdledApp> sleepers = new ArrayList<>();
		List<IdledApp> wakeables = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			sleepers.add(ns.createIdledApp(IdledAppSpec.named("sleeper" + i)
				.host(UnidlingTests.host(ns, "sleeper" + i))
				.replicasAnnotation("1")));
		}
		for (int i = 0; i < 2; i++) {
			wakeables.add(ns.createIdledApp(IdledAppSpec.named("wakeable" + i)
				.host(UnidlingTests.host(ns, "wakeable" + i))
				.replicasAnnotation("1")));
		}
		List<String> unknown = List.of(UnidlingTests.host(ns, "nobody"), UnidlingTests.host(ns, "nobody-else"),
				"unknown.example.test", "x.y.z.example.test");
		Map<String, Snapshot> before = new LinkedHashMap<>();
		sleepers.forEach((app) -> before.put(app.host(), Snapshot.of(app)));

		List<String> failures = new ArrayList<>();
		Map<Integer, Integer> statuses = new TreeMap<>();
		try (UnidlerServer server = UnidlerServer.start(cluster, Map.of())) {
			for (int i = 0; i < REQUESTS; i++) {
				String request = generate(random, sleepers, wakeables, unknown);
				RawHttp.Response response;
				try {
					response = RawHttp.send(server.port(), request);
				}
				catch (RuntimeException ex) {
					failures.add("#" + i + " no answer (" + ex.getMessage() + ") to\n" + request);
					continue;
				}
				statuses.merge(response.status(), 1, Integer::sum);
				boolean designed503 = response.status() == 503 && response.retryAfter() != null;
				if (response.status() >= 500 && !designed503) {
					failures.add("#" + i + " " + response + "\nto\n" + request);
				}
			}
			System.out.println("GeneratedRequestsTests statuses " + statuses);

			assertThat(failures).as("seed %d", seed).isEmpty();
			assertThat(STACK_FRAME.matcher(output.getAll()).find()).as("stack trace in the log, seed %d", seed)
				.isFalse();
			assertThat(output.getAll()).as("seed %d", seed).doesNotContain(" ERROR ").doesNotContain("Decoding failed");
			for (IdledApp sleeper : sleepers) {
				assertThat(server.requestsMentioning(sleeper.host())).as("lookups of %s, seed %d", sleeper.host(), seed)
					.isEmpty();
				assertThat(Snapshot.of(sleeper)).as("%s, seed %d", sleeper.host(), seed)
					.isEqualTo(before.get(sleeper.host()));
			}
			assertThat(server.writesIn(ns.name())).as("seed %d", seed).allMatch((write) -> write.contains("/wakeable"));
		}
	}

	/**
	 * One request. Sleepers only get requests that must not wake them: each carries at
	 * least one thing that stops a wake, whatever else was drawn.
	 */
	private static String generate(Random random, List<IdledApp> sleepers, List<IdledApp> wakeables,
			List<String> unknown) {
		String method = pick(random, METHODS);
		String path = pick(random, PATHS);
		List<String> headers = new ArrayList<>();
		int target = random.nextInt(100);
		boolean sleeper = target < 35;
		if (sleeper) {
			headers.addAll(host(random, pick(random, sleepers).host()));
		}
		else if (target < 60) {
			headers.addAll(host(random, pick(random, wakeables).host()));
		}
		else if (target < 80) {
			headers.addAll(host(random, pick(random, unknown)));
		}
		else {
			headers.addAll(badHost(random, pick(random, wakeables).host()));
		}
		String accept = pick(random, ACCEPTS);
		String agent = random.nextInt(5) == 0 ? pick(random, BOTS) : pick(random, BROWSERS);
		boolean prefetch = random.nextInt(8) == 0;
		if (sleeper) {
			switch (random.nextInt(5)) {
				case 0 -> method = pick(random, NOT_WAKING_METHODS);
				case 1 -> path = random.nextBoolean() ? "/robots.txt" : "/favicon.ico";
				case 2 -> agent = pick(random, BOTS);
				case 3 -> prefetch = true;
				default -> accept = pick(random, MALFORMED_ACCEPTS);
			}
		}
		if (!accept.isEmpty()) {
			headers.add("Accept: " + accept);
		}
		if (!agent.isEmpty()) {
			headers.add("User-Agent: " + agent);
		}
		if (prefetch) {
			headers.add(pick(random, PREFETCH));
		}
		if (random.nextInt(6) == 0) {
			headers.add("Last-Event-ID: " + pick(random, List.of("", "garbage", "abc-999", "-1",
					Long.toHexString(random.nextLong()) + "-" + random.nextInt(50), "x-" + Long.MAX_VALUE + "0")));
		}
		if (random.nextInt(8) == 0) {
			headers.add("X-Forwarded-For: " + pick(random, List.of("198.51.100.7", "garbage, 10.0.0.1", "::1", "")));
		}
		String body = List.of("POST", "PUT", "PATCH").contains(method) && random.nextBoolean() ? "{\"a\":1}" : "";
		return RawHttp.request(method, path, headers, body);
	}

	/**
	 * A valid Host header for a host, in any case, with or without a port or final dot.
	 */
	private static List<String> host(Random random, String host) {
		String value = random.nextBoolean() ? host : host.toUpperCase(Locale.ROOT);
		if (random.nextInt(4) == 0) {
			value += ".";
		}
		if (random.nextInt(3) == 0) {
			value += ":" + (1 + random.nextInt(65535));
		}
		return List.of("Host: " + value);
	}

	private static List<String> badHost(Random random, String valid) {
		return switch (random.nextInt(16)) {
			case 0 -> List.of();
			case 1 -> List.of("Host: ");
			case 2 -> List.of("Host: " + valid, "Host: " + valid);
			case 3 -> List.of("Host: " + valid, "Host: other.example.test");
			case 4 -> List.of("Host: " + valid + ":99999");
			case 5 -> List.of("Host: " + valid + ":0");
			case 6 -> List.of("Host: " + valid + ":abc");
			case 7 -> List.of("Host: " + valid + ":");
			case 8 -> List.of("Host: [::1");
			case 9 -> List.of("Host: [::1]:8080");
			case 10 -> List.of("Host: bad_host.example.test");
			case 11 -> List.of("Host: " + "x".repeat(64) + ".example.test");
			case 12 -> List.of("Host: <script>alert(1)</script>");
			case 13 -> List.of("Host: a..b");
			case 14 -> List.of("Host: %zz.example.test");
			default -> List.of("Host: a:b:c");
		};
	}

	private static <T> T pick(Random random, List<T> values) {
		return values.get(random.nextInt(values.size()));
	}

}
