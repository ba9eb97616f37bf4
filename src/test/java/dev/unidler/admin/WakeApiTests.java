package dev.unidler.admin;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.unidler.cluster.IdledApp;
import dev.unidler.cluster.IdledAppSpec;
import dev.unidler.cluster.RealCluster;
import dev.unidler.cluster.TestCluster;
import dev.unidler.cluster.TestNamespace;
import dev.unidler.restart.AwakeWorkloads;
import dev.unidler.web.UnidlerServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /api/v1/namespaces/{namespace}/deployments/{name}/wake} against the real
 * control plane: the visitor's wake by name, followed as events; refused, with nothing
 * learnt, for a token that may not wake the app.
 */
@RealCluster
class WakeApiTests {

	private static final String WAKER = "waker-token-0123456789abcdef";

	private static final String RESTARTER = "restarter-token-0123456789abcdef";

	@TempDir
	static Path files;

	private static UnidlerServer server;

	@BeforeAll
	static void start(TestCluster cluster) throws Exception {
		Path tokens = Files.writeString(files.resolve("tokens.yaml"), """
				tokens:
				  - name: waker
				    token: "%s"
				    operations: [wake]
				    apps:
				      - host: "*.example.test"
				  - name: restarter
				    token: "%s"
				    operations: [restart]
				    apps:
				      - host: "*.example.test"
				""".formatted(WAKER, RESTARTER));
		server = UnidlerServer.start(cluster, Map.of("unidler.access.tokens-file", tokens.toString()));
	}

	@AfterAll
	static void stop() {
		server.close();
	}

	@Test
	void aWakeByNameStreamsTheWakeToReady(TestNamespace ns) {
		IdledApp app = ns.createIdledApp(IdledAppSpec.named("web").host(ns.host("web")));

		List<ServerSentEvent<Map<String, Object>>> events = server.admin()
			.post()
			.uri("/api/v1/namespaces/{namespace}/deployments/web/wake", ns.name())
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + WAKER)
			.accept(MediaType.TEXT_EVENT_STREAM)
			.exchange()
			.expectStatus()
			.isOk()
			.returnResult(new ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>>() {
			})
			.getResponseBody()
			.filter((event) -> event.event() != null)
			.collectList()
			.block(java.time.Duration.ofSeconds(120));

		assertThat(events).extracting(ServerSentEvent::event).contains("progress").last().isEqualTo("ready");
		assertThat(app.deployment().getSpec().getReplicas()).isEqualTo(3);
		assertThat(app.deployment().getMetadata().getLabels()).doesNotContainKey(IdledAppSpec.IDLED_LABEL);
	}

	@Test
	void aTokenThatMayNotWakeLearnsNothingOfTheApp(TestNamespace ns) {
		IdledApp app = ns.createIdledApp(IdledAppSpec.named("web").host(ns.host("web")));

		String refused = wake(ns, "web", RESTARTER, 404);
		String unknown = wake(ns, "nobody", WAKER, 404);
		// Anonymous: the same answer whether the app exists or not.
		assertThat(wake(ns, "web", null, 401)).isEqualTo(wake(ns, "nobody", null, 401));

		assertThat(refused).isEqualTo(unknown).isEqualTo("{\"error\":\"Application not found.\"}");
		assertThat(app.deployment().getSpec().getReplicas()).isZero();
	}

	@Test
	void aStatefulSetHasNoIdledStateToWakeFrom(TestCluster cluster, TestNamespace ns) throws Exception {
		AwakeWorkloads.statefulSet(cluster, ns, "db", ns.host("db"), 1);

		server.admin()
			.post()
			.uri("/api/v1/namespaces/{namespace}/statefulsets/db/wake", ns.name())
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + WAKER)
			.exchange()
			.expectStatus()
			.isEqualTo(422);
	}

	private static String wake(TestNamespace ns, String name, String token, int status) {
		return server.admin()
			.post()
			.uri("/api/v1/namespaces/{namespace}/deployments/{name}/wake?wait=30s", ns.name(), name)
			.headers((headers) -> {
				if (token != null) {
					headers.setBearerAuth(token);
				}
			})
			.exchange()
			.expectStatus()
			.isEqualTo(status)
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
	}

}
