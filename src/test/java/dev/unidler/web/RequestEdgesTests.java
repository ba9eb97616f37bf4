package dev.unidler.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.unidler.cluster.IdledApp;
import dev.unidler.cluster.IdledAppSpec;
import dev.unidler.cluster.RealCluster;
import dev.unidler.cluster.TestCluster;
import dev.unidler.cluster.TestNamespace;
import io.kubernetes.client.openapi.models.V1Deployment;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.codec.ServerSentEvent;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests at the edges of HTTP, sent over plain sockets to the whole unidler running
 * against the real control plane: what they get, and that those which must not wake an
 * app leave it exactly as the idler left it.
 *
 * <p>
 * One instance serves the whole class: instances in one JVM share Reactor Netty's event
 * loops, which the first to stop takes down, so tests that need other settings live in
 * classes of their own.
 */
@RealCluster
@ExtendWith(OutputCaptureExtension.class)
class RequestEdgesTests {

	private static final List<String> MALFORMED_ACCEPTS = List.of(";;;", "text/html;q=abc", "text/", "\"");

	private static UnidlerServer server;

	@BeforeAll
	static void startUnidler(TestCluster cluster) {
		server = UnidlerServer.start(cluster, Map.of("unidler.wake.unschedulable-grace", "10m"));
	}

	@AfterAll
	static void stopUnidler() {
		server.close();
	}

	@Test
	void aMalformedAcceptIsNeverA5xxAndWakesNothing(TestNamespace ns, CapturedOutput output) {
		IdledApp app = ns.createIdledApp(IdledAppSpec.named("accept").host(UnidlingTests.host(ns, "accept")));
		IdledApp other = ns.createIdledApp(IdledAppSpec.named("other").host(UnidlingTests.host(ns, "other")));
		Snapshot before = Snapshot.of(app);

		for (String accept : MALFORMED_ACCEPTS) {
			for (String target : List.of("/", "/report?q=1", "/events")) {
				RawHttp.Response response = send("GET", target, "Host: " + app.host(), "Accept: " + accept);
				// Answered like a request without Accept, minus the wake.
				assertThat(response.status()).as("%s with Accept %s: %s", target, accept, response).isEqualTo(503);
				assertThat(response.retryAfter()).isEqualTo("5");
				assertThat(response.body()).contains(app.host() + " is idle");
			}
		}

		assertUntouchedWhileAnotherAppWakes(app, before, other);
		assertThat(output.getOut()).doesNotContain("Exception").doesNotContain("500 Server Error");
	}

	@Test
	void requestsThatMustNotWakeLeaveTheAppIdled(TestNamespace ns) {
		IdledApp app = ns.createIdledApp(IdledAppSpec.named("sleeper").host(UnidlingTests.host(ns, "sleeper")));
		IdledApp other = ns.createIdledApp(IdledAppSpec.named("other").host(UnidlingTests.host(ns, "other")));
		Snapshot before = Snapshot.of(app);
		String host = "Host: " + app.host();
		String html = "Accept: text/html";

		assertThat(send("GET", "/robots.txt", host)).satisfies((robots) -> {
			assertThat(robots.status()).isEqualTo(200);
			assertThat(robots.body()).isEqualTo("User-agent: *\nDisallow: /\n");
		});
		assertThat(send("GET", "/favicon.ico", host, "Accept: image/*").status()).isEqualTo(404);
		assertThat(send("HEAD", "/robots.txt", host).status()).isEqualTo(200);
		List<RawHttp.Response> later = new ArrayList<>();
		for (String method : List.of("HEAD", "OPTIONS", "TRACE")) {
			later.add(send(method, "/", host, html));
		}
		for (String purpose : List.of("Sec-Purpose: prefetch", "Sec-Purpose: prefetch;prerender", "Purpose: prefetch",
				"X-Moz: prefetch")) {
			later.add(send("GET", "/", host, html, purpose));
		}
		for (String agent : List.of("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
				"Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
				"Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
				"facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)", "Twitterbot/1.0",
				"LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
				"Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)",
				"Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)",
				"Pingdom.com_bot_version_1.4_(http://www.pingdom.com/)", "StatusCake_Pagespeed_Indev")) {
			later.add(send("GET", "/", host, html, "User-Agent: " + agent));
		}
		assertThat(later).allSatisfy((response) -> {
			assertThat(response.status()).as("%s", response).isEqualTo(503);
			assertThat(response.retryAfter()).isEqualTo("5");
		});

		assertUntouchedWhileAnotherAppWakes(app, before, other);
	}

	@Test
	void twoHostHeadersOrAPortOutOfRangeGet400(TestNamespace ns, CapturedOutput output) {
		IdledApp app = ns.createIdledApp(IdledAppSpec.named("hosts").host(UnidlingTests.host(ns, "hosts")));
		IdledApp other = ns.createIdledApp(IdledAppSpec.named("other").host(UnidlingTests.host(ns, "other")));
		Snapshot before = Snapshot.of(app);

		List<List<String>> badHosts = List.of(List.of("Host: " + app.host(), "Host: " + other.host()),
				List.of("Host: " + app.host(), "Host: " + app.host()), List.of("Host: " + app.host() + ":99999"),
				List.of("Host: " + app.host() + ":0"), List.of("Host: " + app.host() + ":65536"),
				List.of("Host: " + app.host() + ":http"), List.of("Host: " + app.host() + ":99999999999"));
		for (List<String> hosts : badHosts) {
			for (String target : List.of("/", "/events", "/healthz")) {
				List<String> headers = new ArrayList<>(hosts);
				headers.add("Accept: text/html, text/event-stream");
				RawHttp.Response response = RawHttp.send(server.port(), RawHttp.request("GET", target, headers));
				assertThat(response.status()).as("%s %s: %s", target, hosts, response).isEqualTo(400);
			}
		}
		assertThat(send("GET", "/healthz", "Host: " + app.host() + ":65535").status()).isEqualTo(200);

		assertUntouchedWhileAnotherAppWakes(app, before, other);
		// Counted, not one WARN per request (Reactor Netty used to WARN "Decoding
		// failed" for every unparsable port).
		assertThat(output.getOut()).doesNotContain("WARN").doesNotContain("Decoding failed");
	}

	@Test
	void aTypeWithQualityZeroIsNotAccepted(TestNamespace ns) {
		IdledApp app = ns.createIdledApp(IdledAppSpec.named("quality").host(UnidlingTests.host(ns, "quality")));

		RawHttp.Response page = send("GET", "/", "Host: " + app.host(), "Accept: text/html;q=0, */*;q=0.1");
		RawHttp.Response stream = send("GET", "/events", "Host: " + app.host(), "Accept: text/event-stream;q=0");

		// Neither a page nor a stream: what any other client gets while the app starts.
		for (RawHttp.Response response : List.of(page, stream)) {
			assertThat(response.status()).as("%s", response).isEqualTo(503);
			assertThat(response.header("Content-Type")).startsWith("text/plain");
			assertThat(response.body()).contains(app.host() + " is starting");
		}
	}

	@Test
	void anUnknownLastEventIdReplaysTheWakeFromTheStart(TestNamespace ns) {
		IdledApp app = ns
			.createIdledApp(IdledAppSpec.named("replay").host(UnidlingTests.host(ns, "replay")).unschedulable(true));
		List<ServerSentEvent<Map<String, Object>>> first = server.eventStream(app.host(), null)
			.take(3)
			.collectList()
			.block(Duration.ofSeconds(30));
		Object wake = first.get(0).data().get("wake");

		// A sequence this wake has not reached: the client cannot have seen it.
		List<ServerSentEvent<Map<String, Object>>> replayed = server.eventStream(app.host(), wake + "-999")
			.take(3)
			.collectList()
			.block(Duration.ofSeconds(30));

		assertThat(replayed).extracting(ServerSentEvent::id).containsExactly(wake + "-1", wake + "-2", wake + "-3");
		// The same wake, not a second one: its one write (the replicas), whenever it
		// lands.
		Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !server.writesIn(ns.name()).isEmpty());
		assertThat(server.writesIn(ns.name())).hasSize(1);
	}

	private static RawHttp.Response send(String method, String target, String... headers) {
		return RawHttp.send(server.port(), RawHttp.request(method, target, List.of(headers)));
	}

	/**
	 * Wakes another app of the namespace to the end, which takes longer than a stray wake
	 * would need to show, then checks that this one was never looked up nor changed.
	 */
	private static void assertUntouchedWhileAnotherAppWakes(IdledApp app, Snapshot before, IdledApp other) {
		assertThat(server.events(other.host())).last().extracting(ServerSentEvent::event).isEqualTo("ready");
		assertThat(server.requestsMentioning(app.host())).isEmpty();
		assertThat(Snapshot.of(app)).isEqualTo(before);
		assertThat(app.deployment().getSpec().getReplicas()).isZero();
		assertThat(server.writesIn(ns(app))).noneMatch((write) -> write.endsWith("/" + app.name()));
	}

	private static String ns(IdledApp app) {
		return app.namespace();
	}

	/**
	 * What must not change.
	 *
	 * @param deployment the Deployment's resourceVersion
	 * @param service the Service's resourceVersion
	 * @param replicas the Deployment's replicas
	 */
	record Snapshot(String deployment, String service, Integer replicas) {

		static Snapshot of(IdledApp app) {
			V1Deployment deployment = app.deployment();
			return new Snapshot(deployment.getMetadata().getResourceVersion(),
					app.service().getMetadata().getResourceVersion(), deployment.getSpec().getReplicas());
		}

	}

}
