package dev.unidler.console;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console behind an authenticating proxy ({@code unidler.console.user-header}): the
 * proxy's user is signed in by the page itself, sees what the users file gives them, and
 * changes things only with their page's synchronizer token and their own name.
 */
@RealCluster
class ConsoleProxyTests {

	private static final String HEADER = "X-Forwarded-User";

	private static final Pattern CSRF = Pattern.compile("data-csrf=\"([^\"]+)\"");

	@TempDir
	static Path files;

	private static UnidlerServer server;

	@BeforeAll
	static void start(TestCluster cluster) throws Exception {
		Path users = Files.writeString(files.resolve("users.yaml"), """
				users:
				  - name: alice@example.com
				    operations: [wake, idle, restart]
				    apps:
				      - host: "*.example.test"
				""");
		server = UnidlerServer.start(cluster,
				Map.of("unidler.console.user-header", HEADER, "unidler.console.users-file", users.toString()));
	}

	@AfterAll
	static void stop() {
		server.close();
	}

	@Test
	void theProxysUserIsSignedInByThePageAndWakesWithItsToken(TestNamespace ns) {
		IdledApp app = ns.createIdledApp(IdledAppSpec.named("web").host(ns.host("web")));
		EntityExchangeResult<String> page = server.admin()
			.get()
			.uri("/console")
			.header(HEADER, "alice@example.com")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult();
		ResponseCookie cookie = page.getResponseCookies().getFirst(ConsoleSessions.COOKIE);
		assertThat(cookie.isHttpOnly()).isTrue();
		assertThat(cookie.getSameSite()).isEqualTo("Strict");
		assertThat(page.getResponseBody()).contains("Signed in as <strong id=\"who\">alice@example.com</strong>");
		Matcher csrf = CSRF.matcher(page.getResponseBody());
		assertThat(csrf.find()).isTrue();
		String wake = "/api/v1/namespaces/" + ns.name() + "/deployments/web/wake?wait=90s";

		// The header alone, as a forged request through the proxy would carry it.
		server.admin().post().uri(wake).header(HEADER, "alice@example.com").exchange().expectStatus().isUnauthorized();
		// Someone else's name with Alice's page token.
		server.admin()
			.post()
			.uri(wake)
			.header(HEADER, "mallory@example.com")
			.cookie(cookie.getName(), cookie.getValue())
			.header(ConsoleSessions.CSRF_HEADER, csrf.group(1))
			.exchange()
			.expectStatus()
			.isUnauthorized();
		assertThat(app.deployment().getSpec().getReplicas()).isZero();

		server.admin()
			.post()
			.uri(wake)
			.header(HEADER, "alice@example.com")
			.cookie(cookie.getName(), cookie.getValue())
			.header(ConsoleSessions.CSRF_HEADER, csrf.group(1))
			.exchange()
			.expectStatus()
			.isOk();
		assertThat(app.deployment().getSpec().getReplicas()).isEqualTo(3);
	}

	@Test
	void aUserTheFileDoesNotKnowIsTurnedAwayAndSeesNothing(TestNamespace ns) {
		ns.createIdledApp(IdledAppSpec.named("web").host(ns.host("web")));

		assertThat(server.admin()
			.get()
			.uri("/console")
			.header(HEADER, "mallory@example.com")
			.exchange()
			.expectStatus()
			.isForbidden()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody()).contains("who may not use this console").doesNotContain(ns.name());
		server.admin()
			.get()
			.uri("/console/events")
			.header(HEADER, "mallory@example.com")
			.exchange()
			.expectStatus()
			.isUnauthorized();
	}

	@Test
	void theStreamNeedsNoCookieBehindTheProxy(TestNamespace ns) {
		ns.createIdledApp(IdledAppSpec.named("web").host(ns.host("web")));

		ServerSentEvent<String> snapshot = server.admin()
			.get()
			.uri("/console/events")
			.header(HEADER, "alice@example.com")
			.accept(MediaType.TEXT_EVENT_STREAM)
			.exchange()
			.expectStatus()
			.isOk()
			.returnResult(new ParameterizedTypeReference<ServerSentEvent<String>>() {
			})
			.getResponseBody()
			.filter((event) -> "snapshot".equals(event.event()))
			.blockFirst(Duration.ofSeconds(10));

		assertThat(snapshot.data()).contains("\"caller\":\"alice@example.com\"");
	}

}
