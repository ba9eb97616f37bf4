package dev.unidler.metrics;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.unidler.cluster.IdledAppSpec;
import dev.unidler.cluster.RealCluster;
import dev.unidler.cluster.TestCluster;
import dev.unidler.cluster.TestNamespace;
import dev.unidler.web.UnidlerServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The exposition as a real Prometheus server reads it: Debian's Prometheus scrapes the
 * admin port of a unidler every second while it wakes an app, and PromQL through
 * Prometheus's HTTP API sees the wake, its phases and its Kubernetes requests; every
 * query of the Grafana dashboard is valid PromQL there. Never skipped: without the binary
 * it fails and says how to install it.
 */
@RealCluster
class PrometheusScrapeTests {

	@TempDir
	Path directory;

	@Test
	void prometheusScrapesTheAdminPortAndAQuerySeesTheWake(TestCluster cluster, TestNamespace ns) throws Exception {
		// Before anything else: a missing binary fails here, with how to install it.
		PrometheusServer.binary();
		try (UnidlerServer unidler = UnidlerServer.start(cluster, Map.of());
				PrometheusServer prometheus = PrometheusServer.start(this.directory, "unidler",
						"127.0.0.1:" + unidler.adminPort())) {
			prometheus.awaitAtLeast("up{job=\"unidler\"}", 1, Duration.ofSeconds(30));
			// Every series exists at zero before the first wake, so increase() sees it.
			prometheus.awaitAtLeast("count(unidler_operations_total{kind=\"wake\",outcome=\"ready\"} == 0)", 1,
					Duration.ofSeconds(30));

			String host = ns.host("scraped");
			ns.createIdledApp(IdledAppSpec.named("scraped").host(host));
			List<?> events = unidler.events(host);
			assertThat(events).isNotEmpty();

			assertThat(prometheus.awaitAtLeast("unidler_operations_total{kind=\"wake\",outcome=\"ready\"}", 1,
					Duration.ofSeconds(30)))
				.isEqualTo(1);
			assertThat(prometheus.awaitAtLeast(
					"sum(unidler_wake_phase_duration_seconds_count{phase=~\"locate|restore-replicas|await-available|mark-awake|repoint-service|await-routable\"})",
					6, Duration.ofSeconds(30)))
				.isEqualTo(6);
			assertThat(prometheus
				.value("sum(unidler_kubernetes_requests_total{verb=\"patch\",resource=\"deployments\",code=\"200\"})"))
				.isGreaterThanOrEqualTo(1);
			assertThat(prometheus.value("unidler_operation_duration_seconds_count{kind=\"wake\",outcome=\"ready\"}"))
				.isEqualTo(1);

			// The dashboard's queries, as Grafana would send them: valid PromQL, and
			// those about wakes have something to show.
			for (Dashboard.Query query : Dashboard.read().queries()) {
				JsonNode result = prometheus.query(query.forPrometheus());
				assertThat(result.isArray()).as(query.panel()).isTrue();
			}
			assertThat(prometheus.query(
					"histogram_quantile(0.95, sum by (le, phase) (rate(unidler_wake_phase_duration_seconds_bucket[1m])))"))
				.as("p95 of each phase")
				.hasSize(6);
		}
	}

}
