package dev.unidler.web;

import java.util.Map;

import dev.unidler.TestProperties;
import dev.unidler.web.WakePolicy.Decision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.test.StepVerifier;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.reactive.function.server.HandlerStrategies;
import org.springframework.web.reactive.function.server.ServerRequest;

import static org.assertj.core.api.Assertions.assertThat;

class WakePolicyTests {

	private final WakePolicy defaults = new WakePolicy(TestProperties.defaults());

	@Test
	void aBrowserAndAnApiClientWake() {
		assertThat(this.defaults.decide(request(MockServerHttpRequest.get("/report?q=1")
			.header(HttpHeaders.USER_AGENT, "Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0 Safari/537.36")
			.accept(MediaType.TEXT_HTML)))).isEqualTo(Decision.WAKE);
		assertThat(this.defaults
			.decide(request(MockServerHttpRequest.post("/api/things").header(HttpHeaders.USER_AGENT, "curl/8.5.0"))))
			.isEqualTo(Decision.WAKE);
		assertThat(this.defaults.decide(request(MockServerHttpRequest.delete("/api/things/1"))))
			.isEqualTo(Decision.WAKE);
	}

	@ParameterizedTest
	@ValueSource(strings = { "HEAD", "OPTIONS", "TRACE" })
	void methodsThatDoNotWake(String method) {
		assertThat(this.defaults.decide(request(MockServerHttpRequest.method(HttpMethod.valueOf(method), "/"))))
			.isEqualTo(Decision.LATER);
	}

	@Test
	void robotsAreToldToCrawlNothingAndIconsAreNotFound() {
		assertThat(this.defaults.decide(request(MockServerHttpRequest.get("/robots.txt")))).isEqualTo(Decision.ROBOTS);
		assertThat(this.defaults.decide(request(MockServerHttpRequest.head("/robots.txt")))).isEqualTo(Decision.ROBOTS);
		assertThat(this.defaults.decide(request(MockServerHttpRequest.get("/favicon.ico").accept(MediaType.ALL))))
			.isEqualTo(Decision.NOT_FOUND);
		assertThat(this.defaults.decide(request(MockServerHttpRequest.get("/apple-touch-icon.png"))))
			.isEqualTo(Decision.NOT_FOUND);
		// Only the exact path: an app's own /robots.txt.bak is the app's.
		assertThat(this.defaults.decide(request(MockServerHttpRequest.get("/robots.txt.bak"))))
			.isEqualTo(Decision.WAKE);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "Sec-Purpose|prefetch", "Sec-Purpose|prefetch;prerender",
			"Sec-Purpose|prefetch;anonymous-client-ip", "Purpose|prefetch", "X-Moz|prefetch", "X-Purpose|preview" })
	void prefetchAndPrerenderDoNotWake(String header, String value) {
		assertThat(this.defaults.decide(request(MockServerHttpRequest.get("/").header(header, value))))
			.isEqualTo(Decision.LATER);
	}

	@ParameterizedTest
	@ValueSource(strings = { "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
			"Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
			"Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
			"facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)", "Twitterbot/1.0",
			"LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
			"Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)",
			"Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)",
			"Pingdom.com_bot_version_1.4_(http://www.pingdom.com/)",
			"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) StatusCake" })
	void crawlersMonitorsAndLinkPreviewsDoNotWake(String userAgent) {
		assertThat(this.defaults.decide(request(
				MockServerHttpRequest.get("/").header(HttpHeaders.USER_AGENT, userAgent).accept(MediaType.TEXT_HTML))))
			.isEqualTo(Decision.LATER);
	}

	@Test
	void aMalformedAcceptDoesNotWake() {
		assertThat(this.defaults.decide(request(MockServerHttpRequest.get("/").header(HttpHeaders.ACCEPT, ";;;"))))
			.isEqualTo(Decision.LATER);
	}

	@Test
	void everyListIsConfigurable() {
		WakePolicy policy = new WakePolicy(TestProperties
			.with(Map.of("unidler.wake-policy.methods", "options", "unidler.wake-policy.paths", "/health",
					"unidler.wake-policy.user-agents", "MyMonitor", "unidler.wake-policy.prefetch", "false")));

		assertThat(policy.decide(request(MockServerHttpRequest.head("/")))).isEqualTo(Decision.WAKE);
		assertThat(policy.decide(request(MockServerHttpRequest.options("/")))).isEqualTo(Decision.LATER);
		assertThat(policy.decide(request(MockServerHttpRequest.get("/robots.txt")))).isEqualTo(Decision.WAKE);
		assertThat(policy.decide(request(MockServerHttpRequest.get("/health")))).isEqualTo(Decision.NOT_FOUND);
		assertThat(policy.decide(request(MockServerHttpRequest.get("/").header(HttpHeaders.USER_AGENT, "mymonitor/3"))))
			.isEqualTo(Decision.LATER);
		assertThat(policy.decide(request(MockServerHttpRequest.get("/").header(HttpHeaders.USER_AGENT, "Googlebot"))))
			.isEqualTo(Decision.WAKE);
		assertThat(policy.decide(request(MockServerHttpRequest.get("/").header("Sec-Purpose", "prefetch"))))
			.isEqualTo(Decision.WAKE);
	}

	@Test
	void answers() {
		StepVerifier.create(WakePolicy.answer(Decision.ROBOTS, "app1.example.test")).assertNext((response) -> {
			assertThat(response.statusCode()).isEqualTo(HttpStatus.OK);
			assertThat(response.headers().getContentType()).isEqualTo(MediaType.TEXT_PLAIN);
		}).verifyComplete();
		StepVerifier.create(WakePolicy.answer(Decision.NOT_FOUND, "app1.example.test"))
			.assertNext((response) -> assertThat(response.statusCode()).isEqualTo(HttpStatus.NOT_FOUND))
			.verifyComplete();
		StepVerifier.create(WakePolicy.answer(Decision.LATER, "app1.example.test")).assertNext((response) -> {
			assertThat(response.statusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
			assertThat(response.headers().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("5");
			assertThat(response.headers().getCacheControl()).isEqualTo("no-store");
		}).verifyComplete();
	}

	private static ServerRequest request(MockServerHttpRequest.BaseBuilder<?> builder) {
		return ServerRequest.create(MockServerWebExchange.from(builder),
				HandlerStrategies.withDefaults().messageReaders());
	}

}
