package dev.unidler.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.unidler.cluster.IdledApp;
import dev.unidler.cluster.IdledAppSpec;
import dev.unidler.cluster.RealCluster;
import dev.unidler.cluster.TestCluster;
import dev.unidler.cluster.TestNamespace;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The budget of lookups per client, on the whole unidler against the real control plane:
 * a client that invents hosts gets {@code 429} before the API server hears of them.
 */
@RealCluster
class LookupBudgetEndToEndTests {

	@Test
	void theLookupBudgetAnswers429BeyondItAndSeenHostsCostNothing(TestCluster cluster, TestNamespace ns) {
		IdledApp app = ns.createIdledApp(IdledAppSpec.named("budget").host(UnidlingTests.host(ns, "budget")));
		List<String> unknown = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			unknown.add(UnidlingTests.host(ns, "nobody" + i));
		}
		try (UnidlerServer limited = UnidlerServer.start(cluster,
				Map.of("unidler.wake-policy.lookups-per-second", "0.1", "unidler.wake-policy.lookup-burst", "3",
						"unidler.wake-policy.trusted-proxies", "127.0.0.0/8", "unidler.wake.unknown-app-memory",
						"10m"))) {
			List<Integer> statuses = new ArrayList<>();
			for (String host : unknown) {
				statuses
					.add(RawHttp.send(limited.port(), RawHttp.request("GET", "/", List.of("Host: " + host))).status());
			}
			RawHttp.Response refused = RawHttp.send(limited.port(),
					RawHttp.request("GET", "/", List.of("Host: " + app.host(), "Accept: text/html")));

			assertThat(statuses).containsExactly(404, 404, 404, 429, 429);
			assertThat(refused.status()).isEqualTo(429);
			assertThat(Integer.parseInt(refused.retryAfter())).isBetween(1, 10);
			// Refused before any lookup: the API server never heard of these hosts.
			assertThat(limited.requestsMentioning(unknown.get(3))).isEmpty();
			assertThat(limited.requestsMentioning(app.host())).isEmpty();
			// A host already answered is remembered and costs nothing.
			assertThat(RawHttp.send(limited.port(), RawHttp.request("GET", "/", List.of("Host: " + unknown.get(0))))
				.status()).isEqualTo(404);
			// Another client behind the trusted proxy has a budget of its own; a client
			// that is not behind it cannot claim to be someone else.
			assertThat(RawHttp
				.send(limited.port(),
						RawHttp.request("GET", "/",
								List.of("Host: " + app.host(), "Accept: text/html", "X-Forwarded-For: 198.51.100.7")))
				.status()).isEqualTo(200);
			assertThat(app.awaitAvailable(3, Duration.ofSeconds(60)).getSpec().getReplicas()).isEqualTo(3);
		}
	}

}
