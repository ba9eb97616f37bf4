package dev.unidler.restart;

import org.jspecify.annotations.Nullable;

/**
 * What following a rollout needs to know of a Deployment or StatefulSet, read fresh from
 * the cluster: its spec's generation and what the controller has made of it so far.
 *
 * @param kind {@code Deployment} or {@code StatefulSet}
 * @param generation {@code metadata.generation}
 * @param observedGeneration {@code status.observedGeneration}, 0 before the controller
 * saw it
 * @param desired {@code spec.replicas}
 * @param replicas {@code status.replicas}: pods of every revision
 * @param updated {@code status.updatedReplicas}: pods of the current template
 * @param ready {@code status.readyReplicas}
 * @param available {@code status.availableReplicas}
 * @param progressDeadlineExceeded a Deployment's {@code Progressing} condition says
 * {@code ProgressDeadlineExceeded}
 * @param rollingUpdate a StatefulSet updates its pods by itself ({@code RollingUpdate});
 * always true for a Deployment
 * @param partition a StatefulSet's {@code rollingUpdate.partition}, 0 when unset
 * @param currentRevision a StatefulSet's {@code status.currentRevision}
 * @param updateRevision a StatefulSet's {@code status.updateRevision}
 */
public record WorkloadRollout(String kind, long generation, long observedGeneration, int desired, int replicas,
		int updated, int ready, int available, boolean progressDeadlineExceeded, boolean rollingUpdate, int partition,
		@Nullable String currentRevision, @Nullable String updateRevision) {

	public static final String DEPLOYMENT = "Deployment";

	public static final String STATEFUL_SET = "StatefulSet";

}
