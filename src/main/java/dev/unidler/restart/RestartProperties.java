package dev.unidler.restart;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How restarts are done and followed ({@code unidler.restart.*},
 * {@code UNIDLER_RESTART_*}).
 *
 * @param deadline the longest a rollout is followed before the restart fails
 * @param recheck how often the rollout is read again while waiting, in case a watch event
 * was lost
 * @param unschedulableGrace how long new pods may stay unschedulable before the restart
 * fails
 * @param defaultReason the reason recorded when a caller gives none (the restarter's)
 * @param restartedAtAnnotation the restarter's annotation with the time of the restart,
 * on the workload and its pod template
 * @param reasonAnnotation the restarter's annotation with the reason, on the workload and
 * its pod template
 */
@ConfigurationProperties("unidler.restart")
public record RestartProperties(@DefaultValue("10m") Duration deadline, @DefaultValue("5s") Duration recheck,
		@DefaultValue("2m") Duration unschedulableGrace, @DefaultValue("data-updated") String defaultReason,
		@DefaultValue("restartedAt") String restartedAtAnnotation,
		@DefaultValue("restartReason") String reasonAnnotation) {

	/** What {@code kubectl rollout restart} sets on the pod template. */
	public static final String KUBECTL_RESTARTED_AT = "kubectl.kubernetes.io/restartedAt";

}
