package dev.unidler.restart;

import dev.unidler.restart.RolloutStatus.Done;
import dev.unidler.restart.RolloutStatus.Rolling;
import dev.unidler.restart.RolloutStatus.Stuck;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rollout rules of {@code kubectl rollout status}, case by case.
 */
class RolloutStatusTests {

	@Test
	void aDeploymentIsRollingUntilTheControllerHasSeenTheNewTemplate() {
		assertThat(RolloutStatus.of(deployment(3, 2, 3, 3, 3, 3))).isInstanceOf(Rolling.class)
			.extracting(RolloutStatus::message)
			.isEqualTo("Waiting for the restart to be picked up");
	}

	@Test
	void aDeploymentCountsReplacedPodsThenOldOnesThenAvailability() {
		assertThat(RolloutStatus.of(deployment(3, 3, 3, 4, 1, 3))).isEqualTo(new Rolling("1 of 3 pods replaced", 1, 3));
		assertThat(RolloutStatus.of(deployment(3, 3, 3, 4, 3, 3)))
			.isEqualTo(new Rolling("1 old pod still stopping", 3, 3));
		assertThat(RolloutStatus.of(deployment(3, 3, 3, 3, 3, 2)))
			.isEqualTo(new Rolling("2 of 3 new pods available", 3, 3));
		assertThat(RolloutStatus.of(deployment(3, 3, 3, 3, 3, 3)))
			.isEqualTo(new Done("All 3 pods replaced and available"));
	}

	@Test
	void aDeploymentPastItsProgressDeadlineIsStuck() {
		WorkloadRollout stuck = new WorkloadRollout(WorkloadRollout.DEPLOYMENT, 3, 3, 3, 4, 1, 3, 3, true, true, 0,
				null, null);
		assertThat(RolloutStatus.of(stuck)).isInstanceOf(Stuck.class);
	}

	@Test
	void aStatefulSetWaitsForReadyPodsThenTheNewRevision() {
		assertThat(RolloutStatus.of(statefulSet(2, 1, 3, 1, 2, 0, "a", "b"))).isInstanceOf(Rolling.class)
			.extracting(RolloutStatus::message)
			.isEqualTo("Waiting for the restart to be picked up");
		assertThat(RolloutStatus.of(statefulSet(2, 2, 3, 1, 2, 0, "a", "b")))
			.isEqualTo(new Rolling("2 of 3 pods ready", 1, 3));
		assertThat(RolloutStatus.of(statefulSet(2, 2, 3, 2, 3, 0, "a", "b")))
			.isEqualTo(new Rolling("2 of 3 pods replaced", 2, 3));
		assertThat(RolloutStatus.of(statefulSet(2, 2, 3, 3, 3, 0, "b", "b")))
			.isEqualTo(new Done("All 3 pods replaced and ready"));
	}

	@Test
	void aPartitionedStatefulSetIsDoneWhenThePodsAboveThePartitionAreReplaced() {
		assertThat(RolloutStatus.of(statefulSet(2, 2, 4, 1, 4, 2, "a", "b")))
			.isEqualTo(new Rolling("1 of 2 pods above the partition replaced", 1, 2));
		assertThat(RolloutStatus.of(statefulSet(2, 2, 4, 2, 4, 2, "a", "b")))
			.isEqualTo(new Done("2 pods above the partition replaced"));
	}

	@Test
	void anOnDeleteStatefulSetCannotBeFollowed() {
		WorkloadRollout onDelete = new WorkloadRollout(WorkloadRollout.STATEFUL_SET, 2, 2, 3, 3, 0, 3, 3, false, false,
				0, "a", "b");
		assertThat(RolloutStatus.of(onDelete)).isInstanceOf(Stuck.class);
	}

	private static WorkloadRollout deployment(long generation, long observed, int desired, int replicas, int updated,
			int available) {
		return new WorkloadRollout(WorkloadRollout.DEPLOYMENT, generation, observed, desired, replicas, updated,
				available, available, false, true, 0, null, null);
	}

	private static WorkloadRollout statefulSet(long generation, long observed, int desired, int updated, int ready,
			int partition, String current, String update) {
		return new WorkloadRollout(WorkloadRollout.STATEFUL_SET, generation, observed, desired, desired, updated, ready,
				ready, false, true, partition, current, update);
	}

}
