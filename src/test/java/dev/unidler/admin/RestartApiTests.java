package dev.unidler.admin;

import java.util.Map;

import dev.unidler.cluster.RealCluster;
import dev.unidler.cluster.TestCluster;
import dev.unidler.web.UnidlerServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * The restart API over HTTP, against the real control plane: the restarter's answers byte
 * for byte, and the admin surface kept apart from the apps' hosts.
 */
@RealCluster
class RestartApiTests {

	private static UnidlerServer server;

	@BeforeAll
	static void start(TestCluster cluster) {
		server = UnidlerServer.start(cluster, Map.of());
	}

	@AfterAll
	static void stop() {
		server.close();
	}

	@Test
	void invalidJsonIsRefusedAsTheRestarterDid() {
		server.admin()
			.post()
			.uri("/restart")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"host\": ")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody(String.class)
			.isEqualTo("{\"error\":\"Failed to decode request body: Invalid JSON.\"}");
	}

	@Test
	void anEmptyHostIsRefusedAsTheRestarterDid() {
		for (String body : new String[] { "{}", "{\"host\":\"\"}", "{\"host\":\"  \",\"reason\":\"x\"}" }) {
			server.admin()
				.post()
				.uri("/restart")
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(body)
				.exchange()
				.expectStatus()
				.isBadRequest()
				.expectBody(String.class)
				.isEqualTo("{\"error\":\"invalid request: 'host' can't be empty\"}");
		}
	}

	@Test
	void anUnknownAppIsNotFound() {
		server.admin()
			.post()
			.uri("/restart")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"host\":\"nobody.example.test\",\"reason\":\"x\"}")
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectBody(String.class)
			.isEqualTo("{\"error\":\"Application not found.\"}");
	}

	@Test
	void theAdminApiIsNeverAnsweredThroughAnAppsHost() {
		// On the public port, /restart is just a path of an idled app: the waiting page's
		// answer for an API client, never the admin API.
		server.http()
			.post()
			.uri("/restart")
			.header(HttpHeaders.HOST, "nobody.example.test")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"host\":\"nobody.example.test\"}")
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectBody(String.class)
			.value((body) -> org.assertj.core.api.Assertions.assertThat(body).doesNotContain("\"error\""));
		// And on the admin port, nothing but the admin API answers.
		server.admin()
			.get()
			.uri("/some/page")
			.header(HttpHeaders.HOST, "nobody.example.test")
			.accept(MediaType.TEXT_HTML)
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.NOT_FOUND)
			.expectBody(String.class)
			.isEqualTo("{\"error\":\"No such admin endpoint.\"}");
	}

}
