package dev.unidler.web;

import java.time.Duration;
import java.util.Map;

import dev.unidler.TestProperties;
import dev.unidler.UnidlerProperties;
import dev.unidler.wake.FakeCluster;
import dev.unidler.wake.Wakes;
import dev.unidler.wake.WakesForTests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which route answers what, without a cluster: the wakes behind them are in-memory.
 */
class WebRoutesTests {

	private final UnidlerProperties properties = TestProperties.defaults();

	private final WakesForTests.Stuck stuck = WakesForTests.stuckInAwaitAvailable(this.properties);

	private final FakeCluster cluster = new FakeCluster();

	private final Draining draining = new Draining(TestProperties.with(Map.of("unidler.shutdown.drain", "0s")),
			this.cluster);

	private final WebTestClient client = client(this.stuck.wakes());

	@Test
	void healthIsUnavailableUntilTheClusterCacheHasSynced() {
		this.cluster.synced(false);
		this.client.get()
			.uri("/healthz")
			.exchange()
			.expectStatus()
			.isEqualTo(503)
			.expectBody(String.class)
			.isEqualTo("starting\n");
		this.cluster.synced(true);
		this.client.get().uri("/healthz").exchange().expectStatus().isOk();
	}

	@Test
	void healthAnswersForAnyHost() {
		this.client.get()
			.uri("/healthz")
			.header(HttpHeaders.HOST, "[fd00::1]:8080")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.isEqualTo("ok\n");
	}

	@Test
	void healthTurns503WhenShuttingDownAndNewStreamsAreRefused() {
		this.client.head().uri("/healthz").exchange().expectStatus().isOk();
		this.draining.onApplicationEvent(new ContextClosedEvent(new GenericApplicationContext()));

		this.client.get()
			.uri("/healthz")
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
			.expectHeader()
			.cacheControl(CacheControl.noStore());
		this.client.get()
			.uri("/events")
			.header(HttpHeaders.HOST, "app1.example.test")
			.accept(MediaType.TEXT_EVENT_STREAM)
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
			.expectHeader()
			.valueEquals(HttpHeaders.RETRY_AFTER, "5");
		assertThat(this.stuck.cluster().reads()).isZero();
	}

	@ParameterizedTest
	@ValueSource(strings = { ";;;", "text/html;q=abc", "text/", "\"" })
	void aMalformedAcceptIsNeverA500AndWakesNothing(String accept) {
		// Answered as if there were no Accept (no page, no stream), but without a wake:
		// no browser or HTTP library sends one.
		Map<String, Integer> expected = Map.of("/", 503, "/events", 503, "/healthz", 200, "/some/style.css", 503,
				"/robots.txt", 200);
		expected.forEach((path, status) -> this.client.get()
			.uri(path)
			.header(HttpHeaders.HOST, "app1.example.test")
			.header(HttpHeaders.ACCEPT, accept)
			.exchange()
			.expectStatus()
			.isEqualTo(status));
		assertThat(this.stuck.cluster().reads()).isZero();
	}

	@Test
	void robotsAreToldToCrawlNothingWithoutALookup() {
		this.client.get()
			.uri("/robots.txt")
			.header(HttpHeaders.HOST, "app1.example.test")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.isEqualTo("User-agent: *\nDisallow: /\n");
		this.client.head()
			.uri("/")
			.header(HttpHeaders.HOST, "app1.example.test")
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
			.expectHeader()
			.valueEquals(HttpHeaders.RETRY_AFTER, "5");
		assertThat(this.stuck.cluster().reads()).isZero();
	}

	@Test
	void anApiClientGets503WithRetryAfterAndNoPage() {
		this.client.get()
			.uri("/api/items")
			.header(HttpHeaders.HOST, "app1.example.test")
			.accept(MediaType.ALL)
			.exchange()
			.expectStatus()
			.isEqualTo(503)
			.expectHeader()
			.valueEquals(HttpHeaders.RETRY_AFTER, "5")
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.TEXT_PLAIN)
			.expectBody(String.class)
			.value((body) -> assertThat(body).contains("app1.example.test is starting"));
	}

	@Test
	void eventsNeedsAnExplicitEventStreamAccept() {
		this.client.get()
			.uri("/events/")
			.header(HttpHeaders.HOST, "app1.example.test")
			.accept(MediaType.TEXT_EVENT_STREAM)
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals("X-Accel-Buffering", "no")
			.expectHeader()
			.cacheControl(org.springframework.http.CacheControl.noStore())
			.returnResult(String.class)
			.getResponseBody()
			.take(1)
			.blockLast(Duration.ofSeconds(5));
		// An app's own /events, asked for by a client that does not name event streams,
		// is the app's and gets the idled answer.
		this.client.get()
			.uri("/events")
			.header(HttpHeaders.HOST, "app1.example.test")
			.accept(MediaType.ALL)
			.exchange()
			.expectStatus()
			.isEqualTo(503);
	}

	@Test
	void aBadHostIsRefusedBeforeAnythingStarts() {
		this.client.post()
			.uri("/anything")
			.header(HttpHeaders.HOST, "<script>")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody(String.class)
			.value((body) -> assertThat(body).doesNotContain("<script>"));
		assertThat(this.stuck.cluster().reads()).isZero();
	}

	private WebTestClient client(Wakes wakes) {
		return WebTestClient.bindToRouterFunction(WebWiring.routes(this.properties, wakes, this.draining)).build();
	}

}
