package dev.unidler.kubernetes;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The Kubernetes Events the unidler records on workloads
 * ({@code unidler.kubernetes-events.*}; {@code unidler.events.*} is the stream of the
 * waiting page).
 *
 * @param enabled whether Events are recorded at all
 * @param reportingController the {@code reportingController} of every Event, a qualified
 * name
 * @param seriesWindow how long after the last identical Event a repetition still counts
 * in its series (one object, its count patched) rather than starting a new Event
 * @param burst how many Event writes (creates and series patches) one workload may cause
 * in a row
 * @param refill how often one more write is allowed for a workload once its burst is
 * spent
 * @param timeout longest one Event write may take before it is given up
 */
@ConfigurationProperties("unidler.kubernetes-events")
public record KubernetesEventsProperties(@DefaultValue("true") boolean enabled,
		@DefaultValue("unidler.dev/unidler") String reportingController, @DefaultValue("10m") Duration seriesWindow,
		@DefaultValue("25") int burst, @DefaultValue("5m") Duration refill, @DefaultValue("10s") Duration timeout) {

}
