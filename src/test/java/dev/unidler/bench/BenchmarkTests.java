package dev.unidler.bench;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import dev.unidler.cluster.RealCluster;
import dev.unidler.cluster.TestCluster;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The short form of {@code make bench}, so that the benchmark cannot rot: every scenario
 * runs with small numbers against the real control plane and must print every figure with
 * a number. No figure is held against its goal here: timings on a shared build machine
 * say nothing, and {@code make bench} is where they are measured.
 */
@RealCluster
class BenchmarkTests {

	@Test
	void theShortFormCompletesAndPrintsEveryFigure(TestCluster cluster) throws Exception {
		String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
		Path root = Bench.repositoryRoot();
		ByteArrayOutputStream output = new ByteArrayOutputStream();
		Bench.Result result;
		try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
			result = Bench.run(BenchSettings.brief(), cluster.kubeconfig(), root, Launcher.classpath(classpath, root),
					root.resolve("target/bench-short"), "BenchmarkTests", out);
		}
		String printed = output.toString(StandardCharsets.UTF_8);
		System.err.print(printed);

		assertThat(result.failures()).isEmpty();
		// Every scenario of issue 12 reported, each figure with a number.
		assertThat(result.report().sections()).extracting(Section::title)
			.containsExactly("Notify latency", "API requests per wake", "API requests for unknown and awake hosts",
					"Waiting SSE clients", "Many apps waking at once", "Memory for many labelled apps",
					"Waiting-page renders", "Start-up and idle");
		assertThat(result.report().figures()).hasSizeGreaterThan(40).allSatisfy((figure) -> {
			assertThat(figure.measured()).as(figure.name()).isTrue();
			assertThat(printed).as(figure.name())
				.containsPattern("(?m)^" + java.util.regex.Pattern.quote(figure.name()) + " +-?[0-9][0-9,.]*");
		});
	}

}
