package dev.unidler.web;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.unidler.cluster.IdledApp;
import dev.unidler.cluster.IdledAppSpec;
import dev.unidler.cluster.RealCluster;
import dev.unidler.cluster.TestCluster;
import dev.unidler.cluster.TestNamespace;
import dev.unidler.demo.IngressStandIn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The waiting page's first response against the real control plane: it must be enough on
 * its own, because a fast app is awake, and its host no longer reaches the unidler,
 * before the browser asks for anything else.
 */
@RealCluster
class WaitingPageTests {

	private static UnidlerServer server;

	@BeforeAll
	static void startUnidler(TestCluster cluster) {
		server = UnidlerServer.start(cluster, Map.of());
	}

	@AfterAll
	static void stopUnidler() {
		server.close();
	}

	@Test
	void thePageCarriesItsStyleAndScriptAndTheirHashesAdmitNothingElse(TestNamespace ns) throws Exception {
		IdledApp app = ns.createIdledApp(IdledAppSpec.named("inline").host(UnidlingTests.host(ns, "inline")));

		EntityExchangeResult<String> result = page(app.host(), "/report?q=1");
		String page = result.getResponseBody();
		String policy = result.getResponseHeaders().getFirst("Content-Security-Policy");

		// Nothing is fetched from the app's host but the stream and the return probe.
		assertThat(page).doesNotContain("<link").doesNotContain(" src=").doesNotContain("@import");
		assertThat(policy).startsWith("default-src 'none';").contains("connect-src 'self'");
		String style = only(page, "<style>(.*?)</style>");
		String script = only(page, "<script>(.*?)</script>");
		assertThat(style).isEqualTo(InlineAssets.read(PageAssets.STYLESHEET));
		assertThat(script).isEqualTo(InlineAssets.read(PageAssets.SCRIPT));
		assertThat(policy).contains("style-src '" + sha256(style) + "'")
			.contains("script-src '" + sha256(script) + "'");
		assertThat(policy).doesNotContain("unsafe-inline");
	}

	@Test
	void aPageRenderedAfterTheWakeEndedSaysReadyWithoutAStream(TestNamespace ns) {
		IdledApp app = ns.createIdledApp(IdledAppSpec.named("done").host(UnidlingTests.host(ns, "done")));
		assertThat(server.events(app.host())).last().extracting((event) -> event.event()).isEqualTo("ready");

		// As when the page's GET reached the unidler just as the wake finished.
		String page = page(app.host(), "/").getResponseBody();

		String main = only(page, "(<main .*</main>)");
		assertThat(main).contains("id=\"wake\" data-events=\"/events\" data-state=\"ready\"");
		assertThat(main).contains("data-step=\"await-routable\" data-state=\"done\"")
			.doesNotContain("data-state=\"waiting\"")
			.doesNotContain("data-state=\"running\"");
	}

	@Test
	void aPageForAnUnknownHostIsAFailureFromTheStart(TestNamespace ns) {
		String host = UnidlingTests.host(ns, "nobody");

		String page = server.http()
			.get()
			.uri("/")
			.header(HttpHeaders.HOST, host)
			.accept(MediaType.TEXT_HTML)
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();

		assertThat(page).contains("data-state=\"failed\"").contains("data-reason=\"unknown-app\"");
		assertThat(page).contains("No app is registered for " + host);
	}

	@Test
	void anApiClientThatHonoursRetryAfterReachesTheAppThroughTheIngress(TestCluster cluster, TestNamespace ns)
			throws Exception {
		IdledApp app = ns.createIdledApp(IdledAppSpec.named("api").host(UnidlingTests.host(ns, "api")));
		try (IngressStandIn ingress = IngressStandIn.start(0, URI.create("http://127.0.0.1:" + server.port()),
				cluster.apiClient())) {
			WebTestClient client = WebTestClient.bindToServer()
				.baseUrl("http://127.0.0.1:" + ingress.port())
				.responseTimeout(Duration.ofSeconds(30))
				.build();
			EntityExchangeResult<String> first = apiGet(client, app.host());
			assertThat(first.getStatus()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
			long retryAfter = Long.parseLong(first.getResponseHeaders().getFirst(HttpHeaders.RETRY_AFTER));
			assertThat(retryAfter).isBetween(1L, 5L);

			// A client that waits as it was told finds the app: a KWOK app is up well
			// within the seconds it is told to wait.
			Thread.sleep(Duration.ofSeconds(retryAfter));
			EntityExchangeResult<String> retried = apiGet(client, app.host());
			assertThat(retried.getStatus()).isEqualTo(HttpStatus.OK);
			assertThat(retried.getResponseBody()).contains("id=\"app\"");
		}
	}

	private static EntityExchangeResult<String> apiGet(WebTestClient client, String host) {
		return client.get()
			.uri("/api/items")
			.header(HttpHeaders.HOST, host)
			.accept(MediaType.APPLICATION_JSON)
			.exchange()
			.expectBody(String.class)
			.returnResult();
	}

	@Test
	void aClientThatReachesTheUnidlerOnceTheAppIsAwakeIsToldToRetryAtOnce(TestNamespace ns) {
		IdledApp app = ns.createIdledApp(IdledAppSpec.named("late").host(UnidlingTests.host(ns, "late")));
		assertThat(server.events(app.host())).last().extracting((event) -> event.event()).isEqualTo("ready");

		// While routes settle, a request can still reach the unidler.
		server.http()
			.get()
			.uri("/api/items")
			.header(HttpHeaders.HOST, app.host())
			.accept(MediaType.APPLICATION_JSON)
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
			.expectHeader()
			.valueEquals(HttpHeaders.RETRY_AFTER, "1")
			.expectBody(String.class)
			.isEqualTo(app.host() + " is ready. Retry now.\n");
	}

	private static EntityExchangeResult<String> page(String host, String path) {
		return server.http()
			.get()
			.uri(path)
			.header(HttpHeaders.HOST, host)
			.accept(MediaType.TEXT_HTML)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult();
	}

	private static String only(String page, String regex) {
		Matcher matcher = Pattern.compile(regex, Pattern.DOTALL).matcher(page);
		assertThat(matcher.find()).as("%s in the page", regex).isTrue();
		String found = matcher.group(1);
		assertThat(matcher.find()).as("a second %s in the page", regex).isFalse();
		return found;
	}

	private static String sha256(String text) throws Exception {
		byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
		return "sha256-" + Base64.getEncoder().encodeToString(digest);
	}

}
