package dev.unidler.web;

import java.time.Duration;

import dev.unidler.TestProperties;
import dev.unidler.UnidlerProperties;
import dev.unidler.app.AppKeys;
import dev.unidler.wake.Wakes;
import dev.unidler.wake.WakesForTests;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which route answers what, without a cluster: the wakes behind them are in-memory.
 */
class WebRoutesTests {

	private final UnidlerProperties properties = TestProperties.defaults();

	private final WakesForTests.Stuck stuck = WakesForTests.stuckInAwaitAvailable(this.properties);

	private final WebTestClient client = client(this.stuck.wakes());

	@Test
	void healthAnswersForAnyHost() {
		this.client.get()
			.uri("/healthz")
			.header(HttpHeaders.HOST, "10.1.2.3:8080")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.isEqualTo("ok\n");
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
		AppRequests requests = new AppRequests(new AppKeys(this.properties));
		WakeEventsHandler events = new WakeEventsHandler(requests, wakes, this.properties);
		WaitingPageHandler page = new WaitingPageHandler(requests, wakes, WakesForTests.steps(this.properties),
				new PageAssets(), this.properties);
		return WebTestClient.bindToRouterFunction(new WebRoutes().unidlerRoutes(events, page)).build();
	}

}
