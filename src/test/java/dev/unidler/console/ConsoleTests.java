package dev.unidler.console;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.unidler.access.ConsoleSessions;
import dev.unidler.cluster.IdledApp;
import dev.unidler.cluster.IdledAppSpec;
import dev.unidler.cluster.RealCluster;
import dev.unidler.cluster.TestCluster;
import dev.unidler.cluster.TestNamespace;
import dev.unidler.web.UnidlerServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.web.reactive.function.BodyInserters;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console over HTTP against the real control plane: who gets in and how, what the
 * session cookie is like, why a cross-site change is refused and nothing changes, what a
 * caller's stream holds (and never names), and that an app's host never reaches it.
 */
@RealCluster
class ConsoleTests {

	private static final String OPERATOR = "operator-token-0123456789abcdef";

	private static final String NARROW = "narrow-token-0123456789abcdef";

	private static final Pattern CSRF = Pattern.compile("data-csrf=\"([^\"]+)\"");

	@TempDir
	static Path files;

	private static UnidlerServer server;

	@BeforeAll
	static void start(TestCluster cluster) throws Exception {
		Path tokens = Files.writeString(files.resolve("tokens.yaml"), """
				tokens:
				  - name: operator
				    token: "%s"
				    operations: [wake, idle, restart]
				    apps:
				      - host: "*.example.test"
				  - name: narrow
				    token: "%s"
				    operations: [wake]
				    apps:
				      - host: "visible-*"
				""".formatted(OPERATOR, NARROW));
		server = UnidlerServer.start(cluster, Map.of("unidler.access.tokens-file", tokens.toString()));
	}

	@AfterAll
	static void stop() {
		server.close();
	}

	@Test
	void withoutSigningInTheConsoleIsTheSignInFormAndNothingElseAnswers() {
		String page = server.admin()
			.get()
			.uri("/console")
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.valueMatches("Content-Security-Policy", ".*default-src 'none'.*")
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(page).contains("<form method=\"post\" action=\"/console/sign-in\">")
			.contains("<label for=\"token\">API token</label>")
			.doesNotContain("data-csrf");
		server.admin().get().uri("/console/events").exchange().expectStatus().isUnauthorized();
		server.admin()
			.get()
			.uri("/console")
			.cookie(ConsoleSessions.COOKIE, "made-up")
			.exchange()
			.expectStatus()
			.isUnauthorized();
	}

	@Test
	void aWrongTokenIsRefusedSayingSo() {
		server.admin()
			.post()
			.uri("/console/sign-in")
			.body(BodyInserters.fromFormData("token", "wrong-token-0123456789abcdef"))
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.doesNotExist(HttpHeaders.SET_COOKIE)
			.expectBody(String.class)
			.value((body) -> assertThat(body).contains("That token is not known."));
	}

	@Test
	void aSignInThatIsNotTheFormIsABadRequest() {
		server.admin()
			.post()
			.uri("/console/sign-in")
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.bodyValue("token=" + "x".repeat(512 * 1024))
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody(String.class)
			.value((body) -> assertThat(body).contains(ConsoleHandler.BAD_FORM));
	}

	@Test
	void signingInSetsAStrictHttpOnlyCookieSecureBehindTls() {
		ResponseCookie plain = signIn(OPERATOR, null);
		ResponseCookie behindTls = signIn(OPERATOR, "https");

		assertThat(plain.isHttpOnly()).isTrue();
		assertThat(plain.getSameSite()).isEqualTo("Strict");
		assertThat(plain.isSecure()).isFalse();
		assertThat(plain.getPath()).isEqualTo("/");
		assertThat(plain.getValue()).doesNotContain(OPERATOR).hasSizeGreaterThanOrEqualTo(43);
		assertThat(behindTls.isSecure()).isTrue();
		assertThat(page(plain)).contains("Signed in as <strong id=\"who\">operator</strong>");
	}

	@Test
	void aSignInPostedFromAnotherSiteIsRefused() {
		server.admin()
			.post()
			.uri("/console/sign-in")
			.header(HttpHeaders.ORIGIN, "https://evil.example")
			.body(BodyInserters.fromFormData("token", OPERATOR))
			.exchange()
			.expectStatus()
			.isForbidden()
			.expectHeader()
			.doesNotExist(HttpHeaders.SET_COOKIE);
	}

	@Test
	void aCrossSiteChangeCarryingTheCookieButNotItsTokenIsRefusedAndChangesNothing(TestNamespace ns) {
		IdledApp app = ns.createIdledApp(IdledAppSpec.named("web").host(ns.host("web")));
		ResponseCookie cookie = signIn(OPERATOR, null);
		String csrf = csrf(page(cookie));
		String wake = "/api/v1/namespaces/" + ns.name() + "/deployments/web/wake";

		// What a forged form or fetch from another site sends: the cookie, at best.
		server.admin()
			.post()
			.uri(wake)
			.cookie(cookie.getName(), cookie.getValue())
			.exchange()
			.expectStatus()
			.isUnauthorized();
		server.admin()
			.post()
			.uri(wake)
			.cookie(cookie.getName(), cookie.getValue())
			.header(ConsoleSessions.CSRF_HEADER, "guessed")
			.exchange()
			.expectStatus()
			.isUnauthorized();
		assertThat(app.deployment().getSpec().getReplicas()).isZero();
		assertThat(app.deployment().getMetadata().getLabels()).containsKey(IdledAppSpec.IDLED_LABEL);

		// The console's own page sends its token: the same wake as a visitor's.
		server.admin()
			.post()
			.uri(wake + "?wait=90s")
			.cookie(cookie.getName(), cookie.getValue())
			.header(ConsoleSessions.CSRF_HEADER, csrf)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("done");
		assertThat(app.deployment().getSpec().getReplicas()).isEqualTo(3);
	}

	@Test
	void signingOutNeedsThePagesTokenAndEndsTheSession() {
		ResponseCookie cookie = signIn(OPERATOR, null);
		String csrf = csrf(page(cookie));

		server.admin()
			.post()
			.uri("/console/sign-out")
			.cookie(cookie.getName(), cookie.getValue())
			.body(BodyInserters.fromFormData("_csrf", "guessed"))
			.exchange()
			.expectStatus()
			.isSeeOther();
		assertThat(page(cookie)).contains("data-csrf");
		server.admin()
			.post()
			.uri("/console/sign-out")
			.cookie(cookie.getName(), cookie.getValue())
			.body(BodyInserters.fromFormData("_csrf", csrf))
			.exchange()
			.expectStatus()
			.isSeeOther();
		server.admin()
			.get()
			.uri("/console")
			.cookie(cookie.getName(), cookie.getValue())
			.exchange()
			.expectStatus()
			.isUnauthorized();
	}

	@Test
	void theStreamStartsWithTheAppsTheCallerMaySeeAndNamesNoOther(TestNamespace ns) {
		ns.createIdledApp(IdledAppSpec.named("seen")
			.host("visible-" + Integer.toHexString(ns.name().hashCode()) + ".example.test"));
		ns.createIdledApp(IdledAppSpec.named("hidden").host(ns.host("hidden")));
		ResponseCookie operator = signIn(OPERATOR, null);
		ResponseCookie narrow = signIn(NARROW, null);

		JsonNode everything = snapshotContaining(operator, ns.name() + "/hidden");
		JsonNode some = snapshotContaining(narrow, ns.name() + "/seen");

		assertThat(names(everything, ns)).contains(ns.name() + "/seen", ns.name() + "/hidden");
		assertThat(names(some, ns)).containsExactly(ns.name() + "/seen");
		assertThat(some.toString()).doesNotContain("hidden");
		JsonNode seen = some.get("apps")
			.valueStream()
			.filter((app) -> app.get("name").asString().equals("seen"))
			.findFirst()
			.orElseThrow();
		assertThat(seen.get("state").asString()).isEqualTo("idled");
		assertThat(seen.at("/actions/wake/refused").isMissingNode()).isTrue();
		assertThat(seen.at("/actions/restart/refused").asString())
			.isEqualTo("Your sign-in does not allow you to restart this app.");
	}

	@Test
	void anAppsHostNeverReachesTheConsole(TestNamespace ns) {
		IdledApp app = ns.createIdledApp(IdledAppSpec.named("app").host(ns.host("app")));
		ResponseCookie cookie = signIn(OPERATOR, null);

		String page = server.http()
			.get()
			.uri("/console")
			.header(HttpHeaders.HOST, app.host())
			.cookie(cookie.getName(), cookie.getValue())
			.accept(MediaType.TEXT_HTML)
			.exchange()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(page).contains("id=\"wake\"").doesNotContain("/console/sign-in").doesNotContain("data-csrf");
		server.http()
			.get()
			.uri("/console/events")
			.header(HttpHeaders.HOST, app.host())
			.cookie(cookie.getName(), cookie.getValue())
			.accept(MediaType.TEXT_EVENT_STREAM)
			.exchange()
			.expectHeader()
			.value(HttpHeaders.CONTENT_TYPE, (type) -> assertThat(type).doesNotContain("event-stream"));
	}

	private static ResponseCookie signIn(String token, String forwardedProto) {
		EntityExchangeResult<Void> result = server.admin().post().uri("/console/sign-in").headers((headers) -> {
			if (forwardedProto != null) {
				headers.set("X-Forwarded-Proto", forwardedProto);
			}
		})
			.body(BodyInserters.fromFormData("token", token))
			.exchange()
			.expectStatus()
			.isSeeOther()
			.expectHeader()
			.location("/console")
			.expectBody()
			.isEmpty();
		return result.getResponseCookies().getFirst(ConsoleSessions.COOKIE);
	}

	private static String page(ResponseCookie cookie) {
		return server.admin()
			.get()
			.uri("/console")
			.cookie(cookie.getName(), cookie.getValue())
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
	}

	private static String csrf(String page) {
		Matcher matcher = CSRF.matcher(page);
		assertThat(matcher.find()).as("the page's synchronizer token").isTrue();
		return matcher.group(1);
	}

	/** The first snapshot that lists an app (the fleet may not have seen it yet). */
	private static JsonNode snapshotContaining(ResponseCookie cookie, String app) {
		JsonMapper json = JsonMapper.shared();
		for (int attempt = 0; attempt < 50; attempt++) {
			ServerSentEvent<String> first = server.admin()
				.get()
				.uri("/console/events")
				.cookie(cookie.getName(), cookie.getValue())
				.accept(MediaType.TEXT_EVENT_STREAM)
				.exchange()
				.expectStatus()
				.isOk()
				.returnResult(new ParameterizedTypeReference<ServerSentEvent<String>>() {
				})
				.getResponseBody()
				.filter((event) -> "snapshot".equals(event.event()))
				.blockFirst(Duration.ofSeconds(10));
			JsonNode snapshot = json.readTree(first.data());
			if (snapshot.toString().contains("\"" + app.substring(app.indexOf('/') + 1) + "\"")
					&& snapshot.toString().contains(app.substring(0, app.indexOf('/')))) {
				return snapshot;
			}
			try {
				Thread.sleep(200);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		throw new AssertionError("No snapshot listed " + app);
	}

	private static List<String> names(JsonNode snapshot, TestNamespace ns) {
		return snapshot.get("apps")
			.valueStream()
			.filter((app) -> app.get("namespace").asString().equals(ns.name()))
			.map((app) -> app.get("namespace").asString() + "/" + app.get("name").asString())
			.toList();
	}

}
