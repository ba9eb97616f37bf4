package dev.unidler.wake;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import dev.unidler.TestProperties;
import dev.unidler.UnidlerProperties;
import dev.unidler.app.AppKey;
import dev.unidler.app.PodProblem;
import dev.unidler.operation.FailureReason;
import dev.unidler.operation.LogSafe;
import dev.unidler.operation.Operation;
import dev.unidler.operation.OperationEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.test.StepVerifier;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a wake logs: one line per outcome with the right verb, and values that come from
 * the cluster or a request escaped, so that a tenant cannot forge log lines.
 */
@ExtendWith(OutputCaptureExtension.class)
class WakeLogsTests {

	private static final AppKey KEY = new AppKey("app1.example.test", "host", "app1.example.test");

	private final UnidlerProperties properties = TestProperties.defaults();

	@Test
	void aPodMessageWithANewlineIsLoggedOnOneLine(CapturedOutput output) {
		FakeCluster cluster = new FakeCluster().manualAvailability()
			.idledApp("ns", "app1", "app1.example.test", Map.of());
		// A tenant controls what its pods report, and tries to forge a log line.
		cluster.addPodProblem(new PodProblem("app1-x", "CrashLoopBackOff",
				"back-off\r\n2030-01-01T00:00:00Z ERROR 1 --- [main] Forged: admin logged in\u0007", true));

		StepVerifier.withVirtualTime(() -> Wiring.pipeline(cluster, this.properties).run(KEY).last())
			.thenAwait(Duration.ofSeconds(5))
			.expectNextMatches((event) -> event.failure() == FailureReason.APP_CANNOT_START)
			.expectComplete()
			.verify(Duration.ofSeconds(10));

		assertThat(lines(output)).noneMatch((line) -> line.startsWith("2030-01-01T00:00:00Z"))
			.filteredOn((line) -> line.contains("Wake of host=app1.example.test failed (app-cannot-start)"))
			.singleElement()
			.satisfies((line) -> assertThat(line)
				.contains("back-off\\r\\n2030-01-01T00:00:00Z ERROR 1 --- [main] Forged: admin logged in\\u0007")
				.contains("in step await-available"));
	}

	@Test
	void oneLinePerOutcomeWithTheRightVerb(CapturedOutput output) {
		FakeCluster idled = new FakeCluster().idledApp("ns", "app1", "app1.example.test", Map.of());
		FakeCluster awake = new FakeCluster().awakeApp("ns", "app1", "app1.example.test");
		FakeCluster none = new FakeCluster();
		for (FakeCluster cluster : List.of(idled, awake, none)) {
			StepVerifier.create(Wiring.pipeline(cluster, this.properties).run(KEY).last())
				.expectNextMatches(OperationEvent::isTerminal)
				.verifyComplete();
		}

		List<String> outcomes = lines(output).stream()
			.filter((line) -> line.contains("host=app1.example.test"))
			.toList();
		assertThat(outcomes).hasSize(3);
		assertThat(outcomes.get(0)).containsPattern("INFO .*Woke host=app1.example.test in \\d+ ms$");
		assertThat(outcomes.get(1)).containsPattern("INFO .*host=app1.example.test was already awake$");
		assertThat(outcomes.get(2)).containsPattern(
				"INFO .*Wake of host=app1.example.test failed \\(unknown-app\\) in step locate after \\d+ ms: No app is registered");
	}

	@Test
	void anExpectedDeadlineIsNoError(CapturedOutput output) {
		FakeCluster cluster = new FakeCluster().manualAvailability()
			.idledApp("ns", "app1", "app1.example.test", Map.of());
		UnidlerProperties fast = TestProperties.with(Map.of("unidler.wake.deadline", "1m"));
		StepVerifier.withVirtualTime(() -> Wiring.pipeline(cluster, fast).run(KEY).filter(OperationEvent::isTerminal))
			.thenAwait(Duration.ofMinutes(1))
			.expectNextMatches((event) -> event.failure() == FailureReason.DEADLINE)
			.verifyComplete();

		assertThat(lines(output)).filteredOn((line) -> line.contains("host=app1.example.test"))
			.singleElement()
			.satisfies((line) -> assertThat(line).contains(" INFO ")
				.contains("failed (deadline) in step await-available after 60000 ms"));
		assertThat(output.getAll()).doesNotContain("ERROR").doesNotContain("onErrorDropped");
	}

	@Test
	void aWakeAbandonedAtShutdownIsLoggedWithItsApp(CapturedOutput output) {
		FakeCluster cluster = new FakeCluster().manualAvailability()
			.idledApp("ns", "app1", "app1.example.test", Map.of());
		Wakes wakes = Wiring.wakes(cluster, this.properties);
		Operation wake = wakes.wake(KEY);
		StepVerifier.create(wake.events().filter((event) -> event.step().equals("await-available")).take(1))
			.expectNextCount(1)
			.verifyComplete();

		// The shutdown phase ran out of time with the wake still waiting for its pods.
		wakes.stop(() -> {
		});
		wakes.destroy();

		assertThat(output.getAll())
			.contains("Waiting for the wakes in flight before shutting down: host=app1.example.test")
			.contains("Abandoned the wake of host=app1.example.test in step await-available at shutdown");
		assertThat(wakes.runningCount()).isZero();
	}

	@Test
	void controlCharactersAreEscapedAndLongValuesCut() {
		assertThat(LogSafe.of("a\nb\rc\td\\e\u0000f\u2028g\u001b[31m"))
			.isEqualTo("a\\nb\\rc\\td\\\\e\\u0000f\\u2028g\\u001b[31m");
		assertThat(LogSafe.of("x".repeat(5_000))).hasSize(1_001).endsWith("…");
		assertThat(LogSafe.of(null)).isEqualTo("null");
		assertThat(LogSafe.cause(new IllegalStateException("outer\nline", new RuntimeException("inner\nline"))))
			.isEqualTo("outer\\nline; caused by RuntimeException: inner\\nline");
	}

	private static List<String> lines(CapturedOutput output) {
		return Arrays.asList(output.getAll().split("\\R"));
	}

}
