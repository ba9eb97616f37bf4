package dev.unidler.admin;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.unidler.cluster.IdledAppSpec;
import dev.unidler.cluster.RealCluster;
import dev.unidler.cluster.TestCluster;
import dev.unidler.cluster.TestNamespace;
import dev.unidler.restart.AwakeWorkloads;
import dev.unidler.restart.WorkloadRef;
import dev.unidler.web.UnidlerServer;
import io.kubernetes.client.openapi.models.V1Deployment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The restart API over HTTP, against the real control plane: the restarter's answers byte
 * for byte, the three ways to wait, who may restart what without learning of other apps,
 * and the admin surface kept apart from the apps' hosts.
 */
@RealCluster
class RestartApiTests {

	private static final String PIPELINE = "pipeline-token-0123456789abcdef";

	private static final String ELSEWHERE = "elsewhere-token-0123456789abcdef";

	private static final String IDLE_ONLY = "idle-only-token-0123456789abcdef";

	/** Quotes, a newline and an attempt to break out of a JSON string. */
	private static final String REASON = "data \"updated\"\nby 'nightly' \"},\"x\":\"";

	@TempDir
	static Path files;

	private static UnidlerServer server;

	@BeforeAll
	static void start(TestCluster cluster) throws Exception {
		Path tokens = files.resolve("tokens.yaml");
		Files.writeString(tokens, """
				tokens:
				  - name: pipeline
				    token: "%s"
				    operations: [restart]
				    apps:
				      - host: "*.example.test"
				  - name: elsewhere
				    token: "%s"
				    operations: [restart]
				    apps:
				      - namespace: some-other-namespace
				  - name: idler
				    token: "%s"
				    operations: [idle]
				    apps:
				      - host: "*.example.test"
				""".formatted(PIPELINE, ELSEWHERE, IDLE_ONLY));
		server = UnidlerServer.start(cluster,
				Map.of("unidler.access.tokens-file", tokens.toString(), "unidler.restart.recheck", "1s"));
	}

	@AfterAll
	static void stop() {
		server.close();
	}

	@Test
	void aRestartByHostAnswersRestartedAndRecordsTheReasonVerbatim(TestCluster cluster, TestNamespace ns)
			throws Exception {
		String host = ns.host("web");
		AwakeWorkloads.deployment(cluster, ns, "web", host, 3, Map.of());

		restart(PIPELINE, "{\"host\":" + json(host) + ",\"reason\":" + json(REASON) + "}", "").expectStatus()
			.isOk()
			.expectBody(String.class)
			.isEqualTo("{\"message\":\"Restarted.\"}");

		V1Deployment deployment = cluster.apps().readNamespacedDeployment("web", ns.name()).execute();
		assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations())
			.containsOnlyKeys("kubectl.kubernetes.io/restartedAt", "restartedAt", "restartReason")
			.containsEntry("restartReason", REASON);
		assertThat(deployment.getMetadata().getAnnotations()).containsEntry("restartReason", REASON);
	}

	@Test
	void withWaitTheAnswerComesOnlyOnceEveryPodIsNewAndAvailable(TestCluster cluster, TestNamespace ns)
			throws Exception {
		String host = ns.host("report");
		AwakeWorkloads.deployment(cluster, ns, "report", host, 3, Map.of());
		Set<String> before = pods(cluster, ns, "report");

		restart(PIPELINE, "{\"host\":" + json(host) + "}", "?wait=2m").expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.message")
			.isEqualTo("Restarted.")
			.jsonPath("$.status")
			.isEqualTo("done");

		// Nothing left to wait for by the time the answer came.
		V1Deployment deployment = cluster.apps().readNamespacedDeployment("report", ns.name()).execute();
		assertThat(deployment.getStatus().getAvailableReplicas()).isEqualTo(3);
		assertThat(deployment.getStatus().getUpdatedReplicas()).isEqualTo(3);
		assertThat(pods(cluster, ns, "report")).hasSize(3).doesNotContainAnyElementsOf(before);
	}

	@Test
	void anEventStreamShowsTheStepsInOrderAndEndsReady(TestCluster cluster, TestNamespace ns) throws Exception {
		WorkloadRef ref = AwakeWorkloads.statefulSet(cluster, ns, "db", ns.host("db"), 2);

		List<ServerSentEvent<Map<String, Object>>> events = server.admin()
			.post()
			.uri("/api/v1/namespaces/{namespace}/statefulsets/{name}/restart", ref.namespace(), ref.name())
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + PIPELINE)
			.accept(MediaType.TEXT_EVENT_STREAM)
			.exchange()
			.expectStatus()
			.isOk()
			.returnResult(new ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>>() {
			})
			.getResponseBody()
			.filter((event) -> event.event() != null)
			.collectList()
			.block(Duration.ofSeconds(120));

		assertThat(events)
			.extracting((event) -> event.event() + " " + event.data().get("step") + " " + event.data().get("state"))
			.containsSubsequence("progress locate running", "progress request-restart done",
					"progress await-rollout running", "ready await-rollout done");
		assertThat(events).allMatch((event) -> event.id() != null && event.retry() != null);
	}

	@Test
	void anIdledAppIsNotRestartedAndNothingChanges(TestCluster cluster, TestNamespace ns) throws Exception {
		var app = ns.createIdledApp(IdledAppSpec.named("sleepy").host(ns.host("sleepy")));
		// Not opted in: nothing is said about it, not even that it is idled.
		restart(PIPELINE, "{\"host\":" + json(app.host()) + "}", "").expectStatus().isNotFound();
		AwakeWorkloads.optIn(cluster, new WorkloadRef("Deployment", ns.name(), app.name()));
		long generation = app.deployment().getMetadata().getGeneration();

		restart(PIPELINE, "{\"host\":" + json(app.host()) + "}", "").expectStatus()
			.isEqualTo(HttpStatus.CONFLICT)
			.expectBody()
			.jsonPath("$.error")
			.value((error) -> assertThat(error.toString()).contains("idled"));
		assertThat(app.deployment().getMetadata().getGeneration()).isEqualTo(generation);
	}

	@Test
	void callersLearnNothingOfAppsTheyMayNotRestart(TestCluster cluster, TestNamespace ns) throws Exception {
		String host = ns.host("guarded");
		WorkloadRef ref = AwakeWorkloads.deployment(cluster, ns, "guarded", host, 1, Map.of());
		String body = "{\"host\":" + json(host) + "}";
		String notFound = "{\"error\":\"Application not found.\"}";

		// A restartable app says a token is needed, whether none or a wrong one is sent.
		restart(null, body, "").expectStatus().isUnauthorized();
		restart("not-a-token-of-ours-at-all", body, "").expectStatus().isUnauthorized();
		// A token that does not cover the app, or not for restarts, is told "not found".
		restart(ELSEWHERE, body, "").expectStatus().isNotFound().expectBody(String.class).isEqualTo(notFound);
		restart(IDLE_ONLY, body, "").expectStatus().isNotFound().expectBody(String.class).isEqualTo(notFound);
		// An app that has not opted in is "not found", even to a token that covers it,
		// and
		// even when it is idled.
		AwakeWorkloads.optOut(cluster, ref);
		restart(PIPELINE, body, "").expectStatus().isNotFound().expectBody(String.class).isEqualTo(notFound);
		restart(null, body, "").expectStatus().isNotFound().expectBody(String.class).isEqualTo(notFound);
		assertThat(cluster.apps()
			.readNamespacedDeployment("guarded", ns.name())
			.execute()
			.getSpec()
			.getTemplate()
			.getMetadata()
			.getAnnotations()).isNullOrEmpty();
	}

	@Test
	void theListShowsOnlyTheAppsTheCallerMayRestart(TestCluster cluster, TestNamespace ns) throws Exception {
		AwakeWorkloads.deployment(cluster, ns, "listed", ns.host("listed"), 1, Map.of());
		WorkloadRef hidden = AwakeWorkloads.deployment(cluster, ns, "hidden", ns.host("hidden"), 1, Map.of());
		AwakeWorkloads.optOut(cluster, hidden);

		server.admin()
			.get()
			.uri("/api/v1/apps")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + PIPELINE)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.apps[?(@.namespace == '" + ns.name() + "')].name")
			.isEqualTo(List.of("listed"))
			.jsonPath("$.apps[?(@.name == 'listed')].restart")
			.isEqualTo(List.of("/api/v1/namespaces/" + ns.name() + "/deployments/listed/restart"));
		server.admin()
			.get()
			.uri("/api/v1/apps")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + ELSEWHERE)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.apps[?(@.namespace == '" + ns.name() + "')]")
			.isEmpty();
		server.admin().get().uri("/api/v1/apps").exchange().expectStatus().isUnauthorized();
	}

	@Test
	void invalidJsonIsRefusedAsTheRestarterDid() {
		restart(PIPELINE, "{\"host\": ", "").expectStatus()
			.isBadRequest()
			.expectBody(String.class)
			.isEqualTo("{\"error\":\"Failed to decode request body: Invalid JSON.\"}");
	}

	@Test
	void anEmptyHostIsRefusedAsTheRestarterDid() {
		for (String body : new String[] { "{}", "{\"host\":\"\"}", "{\"host\":\"  \",\"reason\":\"x\"}" }) {
			restart(PIPELINE, body, "").expectStatus()
				.isBadRequest()
				.expectBody(String.class)
				.isEqualTo("{\"error\":\"invalid request: 'host' can't be empty\"}");
		}
	}

	@Test
	void unknownAndAmbiguousAppsAreRefusedAsTheRestarterDid(TestCluster cluster, TestNamespace ns) throws Exception {
		restart(PIPELINE, "{\"host\":\"nobody.example.test\"}", "").expectStatus()
			.isNotFound()
			.expectBody(String.class)
			.isEqualTo("{\"error\":\"Application not found.\"}");
		String host = ns.host("twice");
		AwakeWorkloads.deployment(cluster, ns, "one", host, 1, Map.of());
		AwakeWorkloads.statefulSet(cluster, ns, "two", host, 1);
		restart(PIPELINE, "{\"host\":" + json(host) + "}", "").expectStatus()
			.isEqualTo(HttpStatus.CONFLICT)
			.expectBody(String.class)
			.isEqualTo("{\"error\":\"Too many Deployments found for application, can't process restart request.\"}");
	}

	@Test
	void theAdminApiIsNeverAnsweredThroughAnAppsHost() {
		// On the public port, /restart is just a path of an app: the waiting page's
		// answer for an API client, never the admin API.
		server.http()
			.post()
			.uri("/restart")
			.header(HttpHeaders.HOST, "nobody.example.test")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + PIPELINE)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"host\":\"nobody.example.test\"}")
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectBody(String.class)
			.value((body) -> assertThat(body).doesNotContain("\"error\""));
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

	@Test
	void thePublicPortIsUntouchedBySecurity() {
		server.http()
			.get()
			.uri("/any/path")
			.header(HttpHeaders.HOST, "nobody.example.test")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + PIPELINE)
			.accept(MediaType.TEXT_HTML)
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectHeader()
			.valueEquals(HttpHeaders.CACHE_CONTROL, "no-store")
			.expectHeader()
			.doesNotExist(HttpHeaders.SET_COOKIE)
			.expectHeader()
			.doesNotExist(HttpHeaders.WWW_AUTHENTICATE)
			.expectHeader()
			.doesNotExist("X-Frame-Options")
			.expectHeader()
			.doesNotExist(HttpHeaders.PRAGMA);
	}

	private static WebTestClient.ResponseSpec restart(String token, String body, String query) {
		return server.admin().post().uri("/restart" + query).headers((headers) -> {
			if (token != null) {
				headers.setBearerAuth(token);
			}
		}).contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
	}

	private static String json(String text) {
		return tools.jackson.databind.json.JsonMapper.shared().writeValueAsString(text);
	}

	private static Set<String> pods(TestCluster cluster, TestNamespace ns, String app) throws Exception {
		Set<String> names = new HashSet<>();
		cluster.core()
			.listNamespacedPod(ns.name())
			.labelSelector("app=" + app)
			.execute()
			.getItems()
			.stream()
			.filter((pod) -> pod.getMetadata().getDeletionTimestamp() == null)
			.forEach((pod) -> names.add(pod.getMetadata().getName()));
		return names;
	}

}
