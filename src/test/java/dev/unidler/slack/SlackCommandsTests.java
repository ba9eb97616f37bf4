package dev.unidler.slack;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.unidler.cluster.IdledApp;
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
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Slack slash commands against the real control plane, with a stand-in Slack on loopback
 * receiving the posts to {@code response_url}: a signed wake is acknowledged within
 * Slack's three seconds, then checks in and posts its outcome; unsigned, stale and
 * replayed requests change nothing; users get what the users file grants and learn
 * nothing of other apps; identical commands share one operation.
 */
@RealCluster
class SlackCommandsTests {

	private static final String SECRET = "slack-signing-secret-for-tests-0123";

	private static final String TEAM = "T0TEST";

	private static final String ALICE = "U0ALICE";

	private static final String BOB = "U0BOB";

	private static final Duration CHECK_IN_INTERVAL = Duration.ofMillis(200);

	private static final Pattern OPERATION = Pattern.compile("operation `([0-9a-f]+)`");

	private static final AtomicLong hooks = new AtomicLong();

	@TempDir
	static Path files;

	private static StandInSlack slack;

	private static UnidlerServer server;

	@BeforeAll
	static void start(TestCluster cluster) throws Exception {
		Path secret = files.resolve("signing-secret");
		Files.writeString(secret, SECRET + "\n");
		Path users = files.resolve("users.yaml");
		Files.writeString(users, """
				users:
				  - name: alice
				    team: %s
				    user: %s
				    operations: [wake, idle, restart]
				    apps:
				      - host: "*.example.test"
				  - name: bob
				    team: %s
				    user: %s
				    operations: [wake, restart]
				    apps:
				      - namespace: some-other-namespace
				""".formatted(TEAM, ALICE, TEAM, BOB));
		slack = StandInSlack.start();
		server = UnidlerServer.start(cluster,
				Map.of("unidler.slack.signing-secret-file", secret.toString(), "unidler.slack.users-file",
						users.toString(), "unidler.slack.check-in-interval", CHECK_IN_INTERVAL.toMillis() + "ms",
						"unidler.slack.response-url-prefix", slack.url("/hooks/"), "unidler.restart.recheck", "1s"));
	}

	@AfterAll
	static void stop() {
		server.close();
		slack.close();
	}

	@Test
	void aSignedWakeIsAcknowledgedWithinThreeSecondsThenChecksInThenPostsTheOutcome(TestCluster cluster,
			TestNamespace ns) throws Exception {
		// Its pods wait for a node until the test lets them run, so the wake lasts long
		// enough to check in however fast the cluster is.
		IdledApp app = ns.createIdledApp(IdledAppSpec.named("wiki").host(ns.host("wiki")).unschedulable(true));
		String hook = hook();

		Instant asked = Instant.now();
		JsonNode ack = reply(send(SECRET, now(), body(ALICE, "wake " + app.host(), hook)));
		Duration answeredIn = Duration.between(asked, Instant.now());

		assertThat(answeredIn).isLessThan(Duration.ofSeconds(3));
		assertThat(ack.path("response_type").asString()).isEqualTo("in_channel");
		assertThat(ack.path("text").asString()).startsWith("<@" + ALICE + "> asked to wake `" + app.host() + "`");
		String operation = operationOf(ack.path("text").asString());
		slack.awaitPosts(hook, 1, Duration.ofSeconds(30));
		app.patchDeployment("""
				{"spec":{"template":{"spec":{"nodeSelector":null}}}}
				""");

		List<StandInSlack.Posted> posts = slack.awaitOutcome(hook, Duration.ofSeconds(90));
		// Check-ins to the user, then the outcome to the channel; never more than Slack
		// takes.
		assertThat(posts).hasSizeBetween(2, 5);
		StandInSlack.Posted outcome = posts.get(posts.size() - 1);
		assertThat(outcome.text()).startsWith(":white_check_mark: Woke `" + app.host() + "`")
			.contains("operation `" + operation + "`");
		List<StandInSlack.Posted> checkIns = posts.subList(0, posts.size() - 1);
		assertThat(checkIns).allSatisfy((post) -> {
			assertThat(post.inChannel()).isFalse();
			assertThat(post.text()).startsWith("Waking `" + app.host() + "`: ");
		});
		for (int i = 1; i < checkIns.size(); i++) {
			assertThat(Duration.between(checkIns.get(i - 1).at(), checkIns.get(i).at()))
				.isGreaterThanOrEqualTo(CHECK_IN_INTERVAL.minusMillis(50));
		}
		V1Deployment woken = app.awaitAvailable(3, Duration.ofSeconds(30));
		assertThat(woken.getMetadata().getLabels()).doesNotContainKey(IdledAppSpec.IDLED_LABEL);
		assertThat(app.service().getSpec().getType()).isEqualTo("ClusterIP");
	}

	@Test
	void twoIdenticalCommandsAtOnceShareOneOperation(TestCluster cluster, TestNamespace ns) throws Exception {
		IdledApp app = ns.createIdledApp(IdledAppSpec.named("dash").host(ns.host("dash")));
		String first = hook();
		String second = hook();
		String timestamp = now();

		CompletableFuture<JsonNode> one = CompletableFuture
			.supplyAsync(() -> reply(send(SECRET, timestamp, body(ALICE, "wake " + app.host(), first))));
		CompletableFuture<JsonNode> other = CompletableFuture
			.supplyAsync(() -> reply(send(SECRET, timestamp, body(ALICE, "wake " + app.host(), second))));

		String operation = operationOf(one.get().path("text").asString());
		assertThat(operationOf(other.get().path("text").asString())).isEqualTo(operation);
		// Both commands hear how the one operation ended.
		assertThat(slack.awaitOutcome(first, Duration.ofSeconds(90)).getLast().text())
			.contains("operation `" + operation + "`");
		assertThat(slack.awaitOutcome(second, Duration.ofSeconds(90)).getLast().text()).startsWith(":white_check_mark:")
			.contains("operation `" + operation + "`");
		// One wake's writes: the replicas restored once.
		assertThat(server.writesIn(ns.name())
			.stream()
			.filter((write) -> write.endsWith("/deployments/" + app.name()))
			.toList()).hasSizeLessThanOrEqualTo(2);
	}

	@Test
	void aWakeCutShortIsFinishedByTheNextCommand(TestCluster cluster, TestNamespace ns) throws Exception {
		// A wake stopped (its unidler restarted, say) after it had restored the replicas
		// and removed the idled marks, before it repointed the Service: only the cluster
		// remembers.
		IdledApp app = ns.createIdledApp(IdledAppSpec.named("halfway").host(ns.host("halfway")));
		app.patchDeployment("""
				{"spec":{"replicas":3},"metadata":{"labels":{"%s":null},
				 "annotations":{"%s":null,"%s":null}}}
				""".formatted(IdledAppSpec.IDLED_LABEL, IdledAppSpec.IDLED_AT_ANNOTATION,
				IdledAppSpec.REPLICAS_ANNOTATION));
		app.awaitAvailable(3, Duration.ofSeconds(30));
		String hook = hook();

		reply(send(SECRET, now(), body(ALICE, "wake " + app.host(), hook)));

		assertThat(slack.awaitOutcome(hook, Duration.ofSeconds(90)).getLast().text())
			.startsWith(":white_check_mark: Woke `" + app.host() + "`");
		assertThat(app.service().getSpec().getType()).isEqualTo("ClusterIP");
		assertThat(app.deployment().getSpec().getReplicas()).isEqualTo(3);
	}

	@Test
	void aRestartByNamespaceAndNameRecordsTheReasonAndPostsTheOutcome(TestCluster cluster, TestNamespace ns)
			throws Exception {
		WorkloadRef ref = AwakeWorkloads.deployment(cluster, ns, "report", ns.host("report"), 2, Map.of());
		String hook = hook();

		JsonNode ack = reply(
				send(SECRET, now(), body(ALICE, "restart " + ns.name() + "/report nightly <!channel> load", hook)));

		// What the user typed cannot mention the channel.
		assertThat(ack.path("text").asString()).contains("asked to restart `" + ns.name() + "/report`")
			.contains("(nightly &lt;!channel&gt; load)");
		assertThat(slack.awaitOutcome(hook, Duration.ofSeconds(90)).getLast().text())
			.startsWith(":white_check_mark: Restarted `" + ns.name() + "/report`");
		V1Deployment deployment = cluster.apps().readNamespacedDeployment(ref.name(), ref.namespace()).execute();
		assertThat(deployment.getMetadata().getAnnotations()).containsEntry("restartReason", "nightly <!channel> load");
	}

	@Test
	void aBadSignatureAStaleTimestampAndAReplayAreRefusedAndChangeNothing(TestCluster cluster, TestNamespace ns)
			throws Exception {
		IdledApp app = ns.createIdledApp(IdledAppSpec.named("quiet").host(ns.host("quiet")));
		String hook = hook();
		String wake = body(ALICE, "wake " + app.host(), hook);

		send("not-the-signing-secret-0123456789", now(), wake).expectStatus().isUnauthorized();
		send(SECRET, Long.toString(Instant.now().minusSeconds(301).getEpochSecond()), wake).expectStatus()
			.isUnauthorized();
		send(SECRET, Long.toString(Instant.now().plusSeconds(301).getEpochSecond()), wake).expectStatus()
			.isUnauthorized();
		server.admin()
			.post()
			.uri("/slack/commands")
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.bodyValue(wake)
			.exchange()
			.expectStatus()
			.isUnauthorized();

		// A harmless command, accepted once; the same bytes again are a replay.
		String status = body(ALICE, "status " + app.host(), hook());
		String timestamp = now();
		send(SECRET, timestamp, status).expectStatus().isOk();
		send(SECRET, timestamp, status).expectStatus().isUnauthorized();

		Thread.sleep(1000);
		assertThat(slack.posts(hook)).isEmpty();
		assertThat(server.writesIn(ns.name())).isEmpty();
		assertThat(app.deployment().getSpec().getReplicas()).isZero();
	}

	@Test
	void usersGetWhatTheUsersFileGrantsAndLearnNothingOfOtherApps(TestCluster cluster, TestNamespace ns)
			throws Exception {
		IdledApp app = ns.createIdledApp(IdledAppSpec.named("secret").host(ns.host("secret")));
		String nowhere = ns.host("nothing-here");

		// Bob's grants cover another namespace: the app is as absent as one that is not
		// there.
		String refused = reply(send(SECRET, now(), body(BOB, "wake " + app.host(), hook()))).path("text").asString();
		String absent = reply(send(SECRET, now(), body(BOB, "wake " + nowhere, hook()))).path("text").asString();
		assertThat(refused).isEqualTo(absent.replace(nowhere, app.host()))
			.startsWith("No app you may wake answers to `" + app.host() + "`");
		JsonNode byName = reply(send(SECRET, now(), body(BOB, "restart " + ns.name() + "/secret", hook())));
		assertThat(byName.path("response_type").asString()).isEqualTo("ephemeral");
		assertThat(byName.path("text").asString()).startsWith("No app you may restart answers to");
		// Alice may wake it but not restart it: it has not opted in to restarts.
		assertThat(reply(send(SECRET, now(), body(ALICE, "restart " + app.host(), hook()))).path("text").asString())
			.startsWith("No app you may restart answers to `" + app.host() + "`");
		// Someone the file does not list.
		assertThat(reply(send(SECRET, now(), body("U0EVE", "wake " + app.host(), hook()))).path("text").asString())
			.contains("may not use the unidler");

		assertThat(server.writesIn(ns.name())).isEmpty();
		assertThat(app.deployment().getSpec().getReplicas()).isZero();
	}

	@Test
	void statusListsTheAppsTheUserMaySeeWithTheirState(TestCluster cluster, TestNamespace ns) throws Exception {
		IdledApp sleeping = ns.createIdledApp(IdledAppSpec.named("sleeping").host(ns.host("sleeping")));
		AwakeWorkloads.deployment(cluster, ns, "running", ns.host("running"), 1, Map.of());
		Thread.sleep(500);

		JsonNode alice = reply(send(SECRET, now(), body(ALICE, "status " + ns.name(), hook())));
		assertThat(alice.path("response_type").asString()).isEqualTo("ephemeral");
		assertThat(alice.path("text").asString())
			.contains("• `" + ns.name() + "/sleeping` " + sleeping.host() + ": idled, 0 of 0 ready; you may wake")
			.contains("• `" + ns.name() + "/running` " + ns.host("running")
					+ ": awake, 1 of 1 ready; you may wake, restart");
		JsonNode bob = reply(send(SECRET, now(), body(BOB, "status " + ns.name(), hook())));
		assertThat(bob.path("text").asString()).isEqualTo("No apps you may see match.");
		JsonNode usage = reply(send(SECRET, now(), body(ALICE, "reboot everything", hook())));
		assertThat(usage.path("text").asString()).startsWith("Usage: ");
	}

	private static org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec send(String secret,
			String timestamp, String body) {
		return server.admin()
			.post()
			.uri("/slack/commands")
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.header(SlackSignatures.TIMESTAMP, timestamp)
			.header(SlackSignatures.SIGNATURE,
					SlackSignatures.sign(secret.getBytes(StandardCharsets.UTF_8), timestamp,
							body.getBytes(StandardCharsets.UTF_8)))
			.bodyValue(body)
			.exchange();
	}

	private static JsonNode reply(org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec response) {
		EntityExchangeResult<JsonNode> result = response.expectStatus()
			.isEqualTo(HttpStatus.OK)
			.expectBody(JsonNode.class)
			.returnResult();
		return result.getResponseBody();
	}

	/** A slash command's form, as Slack posts it. */
	private static String body(String user, String text, String hook) {
		return "token=gIkuvaNzQIHg97ATvDxqgjtO&team_id=" + TEAM + "&team_domain=unidler-tests&channel_id=C0OPS"
				+ "&channel_name=ops&user_id=" + user + "&user_name=" + user.toLowerCase() + "&command=%2Funidler&text="
				+ URLEncoder.encode(text, StandardCharsets.UTF_8) + "&response_url="
				+ URLEncoder.encode(slack.hook(hook), StandardCharsets.UTF_8) + "&trigger_id=" + hook + ".1.abc";
	}

	private static String hook() {
		return "h" + hooks.incrementAndGet();
	}

	private static String now() {
		return Long.toString(Instant.now().getEpochSecond());
	}

	private static String operationOf(String text) {
		Matcher matcher = OPERATION.matcher(text);
		assertThat(matcher.find()).as("an operation id in %s", text).isTrue();
		return matcher.group(1);
	}

}
