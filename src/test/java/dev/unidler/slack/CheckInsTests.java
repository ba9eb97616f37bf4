package dev.unidler.slack;

import java.time.Duration;
import java.util.List;

import dev.unidler.operation.FailureReason;
import dev.unidler.operation.OperationEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import reactor.util.function.Tuple2;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How often a command hears of its operation, in virtual time: at most one check-in per
 * interval with the latest state, never more posts than the budget with the last kept for
 * the outcome, the outcome as soon as the operation ends, and a last word when it ends
 * without one or outlives the following limit.
 */
@Timeout(30)
class CheckInsTests {

	private static final Duration INTERVAL = Duration.ofSeconds(10);

	private static final Duration FOLLOW = Duration.ofMinutes(25);

	@Test
	void aLongWakeGetsAtMostOneCheckInPerIntervalWithTheLatestStateAndTheOutcomeLast() {
		// A new state every second for 60 s, then ready.
		StepVerifier
			.withVirtualTime(() -> CheckIns.plan(Flux.interval(Duration.ofSeconds(1))
				.take(60)
				.map((i) -> progress(i + 1, (i + 1) + " of 60 ready"))
				.concatWith(Flux.just(ready(61))), INTERVAL, 5, FOLLOW).elapsed().collectList())
			.thenAwait(Duration.ofMinutes(2))
			.assertNext(CheckInsTests::fourCheckInsThenTheOutcome)
			.verifyComplete();
	}

	private static void fourCheckInsThenTheOutcome(List<Tuple2<Long, CheckIns.Post>> posts) {
		// Four check-ins, each a state newer than the last and at least an interval
		// after it; the fifth and last post is the outcome, which is never held back.
		assertThat(posts).extracting((post) -> post.getT2().kind())
			.containsExactly(CheckIns.Post.Kind.CHECK_IN, CheckIns.Post.Kind.CHECK_IN, CheckIns.Post.Kind.CHECK_IN,
					CheckIns.Post.Kind.CHECK_IN, CheckIns.Post.Kind.OUTCOME);
		assertThat(posts.subList(0, 4)).allSatisfy((post) -> assertThat(post.getT1()).isGreaterThanOrEqualTo(10_000));
		assertThat(posts.subList(0, 4)).extracting((post) -> post.getT2().event().sequence())
			.isSorted()
			.doesNotHaveDuplicates()
			.allSatisfy((sequence) -> assertThat(sequence).isBetween(9L, 40L));
		assertThat(posts.get(4).getT2().event().kind()).isEqualTo(OperationEvent.Kind.READY);
		long total = posts.stream().mapToLong(Tuple2::getT1).sum();
		assertThat(total).isEqualTo(60_000);
	}

	@Test
	void anOperationThatEndsWithinAnIntervalGetsItsOutcomeOnlyAndAtOnce() {
		StepVerifier
			.withVirtualTime(() -> CheckIns.plan(Flux.interval(Duration.ofMillis(300))
				.take(5)
				.map((i) -> progress(i + 1, (i + 1) + " of 5 ready"))
				.concatWith(Flux.just(failed(6))), INTERVAL, 5, FOLLOW).elapsed())
			.thenAwait(Duration.ofMinutes(1))
			.assertNext((post) -> {
				assertThat(post.getT1()).isEqualTo(1500);
				assertThat(post.getT2().kind()).isEqualTo(CheckIns.Post.Kind.OUTCOME);
				assertThat(post.getT2().event().failure()).isEqualTo(FailureReason.APP_CANNOT_START);
			})
			.verifyComplete();
	}

	@Test
	void aStateAlreadyPostedIsNotPostedAgain() {
		// The same message for a minute (a rollout that does not move).
		StepVerifier
			.withVirtualTime(() -> CheckIns.plan(Flux.interval(Duration.ofSeconds(1))
				.take(60)
				.map((i) -> progress(i + 1, "0 of 3 pods replaced"))
				.concatWith(Flux.just(ready(61))), INTERVAL, 5, FOLLOW))
			.thenAwait(Duration.ofMinutes(2))
			.assertNext((post) -> assertThat(post.kind()).isEqualTo(CheckIns.Post.Kind.CHECK_IN))
			.assertNext((post) -> assertThat(post.kind()).isEqualTo(CheckIns.Post.Kind.OUTCOME))
			.verifyComplete();
	}

	@Test
	void aBudgetOfOnePostIsTheOutcome() {
		StepVerifier
			.withVirtualTime(() -> CheckIns.plan(Flux.interval(Duration.ofSeconds(1))
				.take(60)
				.map((i) -> progress(i + 1, (i + 1) + " of 60 ready"))
				.concatWith(Flux.just(ready(61))), INTERVAL, 1, FOLLOW))
			.thenAwait(Duration.ofMinutes(2))
			.assertNext((post) -> assertThat(post.kind()).isEqualTo(CheckIns.Post.Kind.OUTCOME))
			.verifyComplete();
	}

	@Test
	void anOperationThatEndsWithoutAnOutcomeOrOutlivesTheLimitGetsALastWord() {
		// Abandoned at shutdown: the events end without a terminal one.
		StepVerifier
			.withVirtualTime(() -> CheckIns.plan(Flux.just(progress(1, "0 of 1 ready")), INTERVAL, 5, FOLLOW)
				.filter((post) -> post.isLast()))
			.thenAwait(Duration.ofSeconds(1))
			.assertNext((post) -> assertThat(post.kind()).isEqualTo(CheckIns.Post.Kind.STOPPED))
			.verifyComplete();
		// Still running when following ends.
		StepVerifier
			.withVirtualTime(() -> CheckIns.plan(
					Flux.interval(Duration.ofMinutes(1)).map((i) -> progress(i + 1, (i + 1) + " of 60 replaced")),
					INTERVAL, 5, FOLLOW))
			.thenAwait(FOLLOW)
			.expectNextCount(4)
			.assertNext((post) -> assertThat(post.kind()).isEqualTo(CheckIns.Post.Kind.STILL_RUNNING))
			.verifyComplete();
	}

	private static OperationEvent progress(long sequence, String message) {
		return new OperationEvent(sequence, OperationEvent.Kind.PROGRESS, "await-available",
				OperationEvent.StepState.RUNNING, message, null, null, sequence * 1000);
	}

	private static OperationEvent ready(long sequence) {
		return new OperationEvent(sequence, OperationEvent.Kind.READY, "await-routable", OperationEvent.StepState.DONE,
				"Ready", null, null, sequence * 1000);
	}

	private static OperationEvent failed(long sequence) {
		return new OperationEvent(sequence, OperationEvent.Kind.FAILURE, "await-available",
				OperationEvent.StepState.FAILED, "The app's pods cannot start", null, FailureReason.APP_CANNOT_START,
				sequence * 1000);
	}

}
