package dev.unidler.slack;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.fail;

/**
 * Slack's side of {@code response_url}, on loopback: records every message posted to
 * {@code /hooks/<id>} with the time it arrived, and answers {@code 200 ok} as Slack does.
 */
final class StandInSlack implements AutoCloseable {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final List<Posted> posted = new CopyOnWriteArrayList<>();

	private final DisposableServer server;

	private StandInSlack() {
		this.server = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.route((routes) -> routes.post("/hooks/{id}", (request,
					response) -> request.receive().aggregate().asString(StandardCharsets.UTF_8).flatMap((body) -> {
						this.posted.add(new Posted(request.param("id"), Instant.now(), JSON.readTree(body)));
						return response.sendString(Mono.just("ok")).then();
					})))
			.bindNow();
	}

	static StandInSlack start() {
		return new StandInSlack();
	}

	/** The URL of a path on it. */
	String url(String path) {
		return "http://127.0.0.1:" + this.server.port() + path;
	}

	/** A fresh {@code response_url}. */
	String hook(String id) {
		return url("/hooks/" + id);
	}

	/** What was posted to one {@code response_url} so far. */
	List<Posted> posts(String id) {
		return this.posted.stream().filter((post) -> post.hook().equals(id)).toList();
	}

	/**
	 * What was posted to one {@code response_url}, once its last post (to the channel)
	 * arrived.
	 */
	List<Posted> awaitOutcome(String id, Duration timeout) {
		return await(id, timeout, (posts) -> !posts.isEmpty() && posts.get(posts.size() - 1).inChannel());
	}

	/**
	 * What was posted to one {@code response_url}, once there are at least so many posts.
	 */
	List<Posted> awaitPosts(String id, int count, Duration timeout) {
		return await(id, timeout, (posts) -> posts.size() >= count);
	}

	private List<Posted> await(String id, Duration timeout, Predicate<List<Posted>> done) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			List<Posted> posts = posts(id);
			if (done.test(posts)) {
				return posts;
			}
			try {
				Thread.sleep(50);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		return fail("Not the posts expected at %s within %s: %s", id, timeout, posts(id));
	}

	@Override
	public void close() {
		this.server.disposeNow();
	}

	/**
	 * One message posted to a {@code response_url}.
	 *
	 * @param hook the id in its path
	 * @param at when it arrived
	 * @param message the JSON posted
	 */
	record Posted(String hook, Instant at, JsonNode message) {

		String text() {
			return this.message.path("text").asString();
		}

		boolean inChannel() {
			return "in_channel".equals(this.message.path("response_type").asString());
		}

	}

}
