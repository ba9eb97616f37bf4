package dev.unidler.slack;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The posts one command may still make to its {@code response_url}: Slack accepts five
 * within thirty minutes, and the last one is kept for the outcome.
 */
final class PostBudget {

	private final AtomicInteger left;

	PostBudget(int posts) {
		this.left = new AtomicInteger(posts);
	}

	/**
	 * Takes one post, if that leaves at least {@code reserve}.
	 * @param reserve posts to keep for later
	 * @return whether a post was taken
	 */
	boolean take(int reserve) {
		return this.left.getAndUpdate((n) -> (n > reserve) ? n - 1 : n) > reserve;
	}

	/** A post that the budget no longer allows. */
	static final class Spent extends RuntimeException {

		Spent() {
			super("No posts left for this command", null, false, false);
		}

	}

}
