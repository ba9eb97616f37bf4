package dev.unidler.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs the kubectl of the test cluster's tools against a kubeconfig, as an operator
 * would.
 *
 * @param executable the kubectl binary
 * @param kubeconfig the kubeconfig it uses
 * @param directory the working directory (the repository root)
 */
record Kubectl(Path executable, Path kubeconfig, Path directory) {

	private static final Duration TIMEOUT = Duration.ofMinutes(2);

	/**
	 * The kubectl to use: {@code $KUBECTL}, else the one of the tools the cluster was
	 * started with ({@code TOOLS_DIR} in the {@code cluster.env} next to its kubeconfig),
	 * else the one {@code scripts/install-tools.sh} provides.
	 * @param kubeconfig the cluster's kubeconfig
	 * @param root the repository root
	 * @return the kubectl
	 */
	static Kubectl find(Path kubeconfig, Path root) throws IOException, InterruptedException {
		String fromEnv = System.getenv("KUBECTL");
		if (fromEnv != null && !fromEnv.isBlank()) {
			return new Kubectl(Path.of(fromEnv), kubeconfig, root);
		}
		Path env = kubeconfig.resolveSibling("cluster.env");
		if (Files.isRegularFile(env)) {
			Optional<Path> tools = Files.readAllLines(env)
				.stream()
				.filter((line) -> line.startsWith("TOOLS_DIR="))
				.map((line) -> Path.of(line.substring("TOOLS_DIR=".length()), "kubectl"))
				.filter(Files::isExecutable)
				.findFirst();
			if (tools.isPresent()) {
				return new Kubectl(tools.get(), kubeconfig, root);
			}
		}
		Result tools = run(root, List.of(root.resolve("scripts/install-tools.sh").toString()));
		if (tools.exitCode() != 0) {
			throw new IllegalStateException("scripts/install-tools.sh failed: " + tools.output());
		}
		String[] lines = tools.stdout().strip().split("\n");
		return new Kubectl(Path.of(lines[lines.length - 1], "kubectl"), kubeconfig, root);
	}

	/**
	 * Runs {@code kubectl --kubeconfig <kubeconfig> <args>}.
	 * @param args the arguments
	 * @return how it ended
	 */
	Result run(String... args) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(
				List.of(this.executable.toString(), "--kubeconfig", this.kubeconfig.toString()));
		command.addAll(List.of(args));
		return run(this.directory, command);
	}

	private static Result run(Path directory, List<String> command) throws IOException, InterruptedException {
		Path stdout = Files.createTempFile("kubectl", ".out");
		Path stderr = Files.createTempFile("kubectl", ".err");
		try {
			Process process = new ProcessBuilder(command).directory(directory.toFile())
				.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
				.redirectOutput(stdout.toFile())
				.redirectError(stderr.toFile())
				.start();
			if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				process.destroyForcibly();
				throw new IllegalStateException(command + " did not finish within " + TIMEOUT);
			}
			return new Result(process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
					Files.readString(stderr, StandardCharsets.UTF_8));
		}
		finally {
			Files.deleteIfExists(stdout);
			Files.deleteIfExists(stderr);
		}
	}

	/**
	 * How a command ended.
	 *
	 * @param exitCode its exit code
	 * @param stdout what it wrote on stdout
	 * @param stderr what it wrote on stderr
	 */
	record Result(int exitCode, String stdout, String stderr) {

		String output() {
			return "exit " + this.exitCode + "\n" + this.stdout + this.stderr;
		}

	}

}
