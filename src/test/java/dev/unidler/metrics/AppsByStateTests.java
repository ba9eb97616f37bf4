package dev.unidler.metrics;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seam for apps by state: the states given up front are the series, read afresh at
 * each scrape.
 */
class AppsByStateTests {

	@Test
	void eachStateIsASeriesReadAtEachScrapeAndUnknownStatesAreLeftOut() {
		AtomicReference<Map<String, Long>> counts = new AtomicReference<>(Map.of("idled", 3L, "awake", 1L));
		PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
		new AppsByState(List.of("awake", "idled", "waking"), counts::get).bindTo(registry);

		assertThat(registry.scrape()).contains("unidler_apps{state=\"idled\"} 3.0")
			.contains("unidler_apps{state=\"awake\"} 1.0")
			.contains("unidler_apps{state=\"waking\"} 0.0");

		counts.set(Map.of("waking", 2L, "surprise", 9L));
		assertThat(registry.scrape()).contains("unidler_apps{state=\"waking\"} 2.0")
			.contains("unidler_apps{state=\"idled\"} 0.0")
			.doesNotContain("surprise");
	}

}
