package dev.unidler.idle;

import java.time.Duration;
import java.time.ZoneId;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Idling ({@code unidler.idle.*}).
 *
 * @param deadline how long an idle may take before it is reported failed
 * @param scheduleAnnotation the workload annotation that holds an app's idle schedule, a
 * cron expression ({@code 0 19 * * MON-FRI}; five fields, or six with seconds first)
 * @param timeZoneAnnotation the workload annotation that holds the schedule's time zone
 * ({@code Europe/London})
 * @param timeZone the time zone of schedules that name none
 * @param scheduleInterval how often the replica that runs the schedules looks for apps
 * that are due; a schedule fires at most this late
 * @param schedules whether this instance runs idle schedules at all
 */
@ConfigurationProperties("unidler.idle")
public record IdleProperties(@DefaultValue("2m") Duration deadline,
		@DefaultValue("unidler.dev/idle-schedule") String scheduleAnnotation,
		@DefaultValue("unidler.dev/idle-time-zone") String timeZoneAnnotation, @DefaultValue("UTC") ZoneId timeZone,
		@DefaultValue("30s") Duration scheduleInterval, @DefaultValue("true") boolean schedules) {

}
