package dev.unidler.notify;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.netty.handler.codec.http.HttpResponseStatus;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.fail;

/**
 * A webhook receiver on loopback, as a careful one is written: it checks each request's
 * signature and refuses old timestamps, and takes a delivery id once however often it is
 * tried. Paths choose how it answers: {@code /ok/…} at once, {@code /flaky/…} with
 * {@code 503} to a delivery's first two tries, {@code /slow/…} after 300 ms,
 * {@code /hang/…} never, {@code /redirect/…} with a {@code 307} to {@code /ok/…},
 * {@code /gone/…} with {@code 410}.
 */
final class StandInReceiver implements AutoCloseable {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final List<Received> received = new CopyOnWriteArrayList<>();

	private final Map<String, AtomicInteger> tries = new ConcurrentHashMap<>();

	private final DisposableServer server;

	private final LoopResources loops = LoopResources.create("stand-in-receiver", 1, true);

	private StandInReceiver() {
		// Its own event loop: an instance of the unidler that closes disposes the shared
		// ones, and this receiver must outlive it to hear its last deliveries.
		this.server = HttpServer.create()
			.runOn(this.loops)
			.host("127.0.0.1")
			.port(0)
			.route((routes) -> routes.post("/{behaviour}/{name}",
					(request, response) -> request.receive()
						.aggregate()
						.asByteArray()
						.defaultIfEmpty(new byte[0])
						.flatMap((body) -> {
							String behaviour = request.param("behaviour");
							String delivery = request.requestHeaders().get(WebhookSender.DELIVERY, "");
							this.received.add(new Received(request.param("name"), Instant.now(), delivery,
									request.requestHeaders().get(WebhookSender.SIGNATURE), body));
							int attempt = this.tries.computeIfAbsent(delivery, (id) -> new AtomicInteger())
								.incrementAndGet();
							return switch (behaviour) {
								case "hang" -> Mono.never();
								case "slow" -> Mono.delay(Duration.ofMillis(300))
									.then(response.status(HttpResponseStatus.NO_CONTENT).send().then());
								case "flaky" -> (attempt <= 2)
										? response.status(HttpResponseStatus.SERVICE_UNAVAILABLE).send().then()
										: response.status(HttpResponseStatus.NO_CONTENT).send().then();
								case "redirect" -> response.status(HttpResponseStatus.TEMPORARY_REDIRECT)
									.header("Location", url("/ok/" + request.param("name")))
									.send()
									.then();
								case "gone" -> response.status(HttpResponseStatus.GONE).send().then();
								default -> response.status(HttpResponseStatus.NO_CONTENT).send().then();
							};
						})))
			.bindNow();
	}

	static StandInReceiver start() {
		return new StandInReceiver();
	}

	String url(String path) {
		return "http://127.0.0.1:" + this.server.port() + path;
	}

	/** Every request that reached a name, tries included, in order. */
	List<Received> requests(String name) {
		return this.received.stream().filter((r) -> r.name().equals(name)).toList();
	}

	/**
	 * What a receiver deduplicating by delivery id takes from a name: one payload per
	 * delivery, in order of first arrival.
	 */
	List<JsonNode> payloads(String name) {
		Map<String, JsonNode> once = new LinkedHashMap<>();
		requests(name).forEach((r) -> once.putIfAbsent(r.delivery(), r.json()));
		return List.copyOf(once.values());
	}

	/** The requests to a name, once they satisfy a condition. */
	List<Received> await(String name, Duration timeout, Predicate<List<Received>> done) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			List<Received> requests = requests(name);
			if (done.test(requests)) {
				return requests;
			}
			try {
				Thread.sleep(50);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		return fail("Not the requests expected at %s within %s: %s", name, timeout, requests(name));
	}

	@Override
	public void close() {
		this.server.disposeNow();
		this.loops.dispose();
	}

	/**
	 * One request.
	 *
	 * @param name the last part of its path
	 * @param at when it arrived
	 * @param delivery its {@code Unidler-Delivery}
	 * @param signature its {@code Unidler-Signature}, if any
	 * @param body its bytes
	 */
	record Received(String name, Instant at, String delivery, String signature, byte[] body) {

		JsonNode json() {
			return JSON.readTree(this.body);
		}

		/**
		 * What the README tells receivers to do: recompute the HMAC over
		 * {@code <t>.<body>}, compare in constant time, refuse a timestamp older than
		 * five minutes.
		 */
		boolean verifies(String secret) {
			if (this.signature == null) {
				return false;
			}
			Map<String, String> parts = new LinkedHashMap<>();
			for (String part : this.signature.split(",")) {
				String[] pair = part.split("=", 2);
				parts.put(pair[0], (pair.length > 1) ? pair[1] : "");
			}
			long timestamp = Long.parseLong(parts.getOrDefault("t", "0"));
			if (Math.abs(Instant.now().getEpochSecond() - timestamp) > 300) {
				return false;
			}
			try {
				Mac mac = Mac.getInstance("HmacSHA256");
				mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
				mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
				byte[] expected = HexFormat.of().formatHex(mac.doFinal(this.body)).getBytes(StandardCharsets.UTF_8);
				return MessageDigest.isEqual(expected, parts.getOrDefault("v1", "").getBytes(StandardCharsets.UTF_8));
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		}

		@Override
		public String toString() {
			return this.name + " " + this.delivery + " " + new String(this.body, StandardCharsets.UTF_8);
		}

	}

}
