package dev.unidler.slack;

import java.time.Duration;

import dev.unidler.operation.OperationEvent;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * What is posted about one command while its operation runs: check-ins at most one per
 * interval, each the latest state (the states in between are coalesced, and a state
 * already posted is not posted again), never more than the post budget allows less one,
 * and then always the outcome, as soon as the operation ends. An operation that ends
 * without an outcome (this instance stopped following it at shutdown) or outlives the
 * following limit gets a last post that says so.
 */
final class CheckIns {

	private CheckIns() {
	}

	/**
	 * The posts about an operation.
	 * @param events its events after the acknowledgement's
	 * @param interval the shortest time between two check-ins
	 * @param maxPosts posts at most, the last one included
	 * @param follow how long the operation is followed
	 * @return the posts, the last one the outcome
	 */
	static Flux<Post> plan(Flux<OperationEvent> events, Duration interval, int maxPosts, Duration follow) {
		if (maxPosts <= 1) {
			return last(events, follow).flux();
		}
		Flux<OperationEvent> shared = events.publish().refCount(2);
		Mono<Post> last = last(shared, follow).cache();
		// The outcome is subscribed first, so it sees the terminal event before the
		// check-ins could post a state that is already over.
		Flux<Post> checkIns = shared.filter((event) -> !event.isTerminal())
			.distinctUntilChanged(OperationEvent::message)
			.sample(interval)
			.take(maxPosts - 1)
			.map((event) -> new Post(Post.Kind.CHECK_IN, event))
			.takeUntilOther(last);
		return Flux.concat(checkIns, last);
	}

	private static Mono<Post> last(Flux<OperationEvent> events, Duration follow) {
		return events.filter(OperationEvent::isTerminal)
			.next()
			.map((end) -> new Post(Post.Kind.OUTCOME, end))
			.defaultIfEmpty(new Post(Post.Kind.STOPPED, null))
			.timeout(follow, Mono.just(new Post(Post.Kind.STILL_RUNNING, null)));
	}

	/**
	 * One post.
	 *
	 * @param kind what it says
	 * @param event the state or outcome it reports
	 */
	record Post(Kind kind, @Nullable OperationEvent event) {

		/** Whether it is the command's last post. */
		boolean isLast() {
			return this.kind != Kind.CHECK_IN;
		}

		enum Kind {

			/** The operation's latest state. */
			CHECK_IN,

			/** How it ended. */
			OUTCOME,

			/** It ended without an outcome: this instance stopped following it. */
			STOPPED,

			/** It still runs after the following limit. */
			STILL_RUNNING

		}

	}

}
