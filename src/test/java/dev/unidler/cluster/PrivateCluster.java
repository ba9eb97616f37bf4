package dev.unidler.cluster;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import okhttp3.Request;
import okhttp3.Response;

/**
 * A cluster of one test's own, in a directory of its own, for tests that do to the
 * control plane what no other test may see: stopping its API server, say. Started with
 * {@code scripts/cluster.sh up} and stopped with {@code scripts/cluster.sh down} on
 * {@link #close()}.
 * <p>
 * kwokctl has no command to stop or start one component, so {@link #stopApiServer()}
 * stops the kube-apiserver process by its recorded PID, and {@link #startApiServer()}
 * starts it again with the command line and working directory it had, appending to the
 * same log, and records the new PID where {@code scripts/cluster.sh down} looks for it.
 */
public final class PrivateCluster implements AutoCloseable {

	private static final String API_SERVER = "kube-apiserver";

	private static final Duration START_TIMEOUT = Duration.ofMinutes(10);

	private static final Duration STOP_TIMEOUT = Duration.ofMinutes(2);

	private final Path root;

	private final Path dir;

	private final TestCluster cluster;

	private List<String> apiServerCommand;

	private Path apiServerDirectory;

	private PrivateCluster(Path root, Path dir, TestCluster cluster) {
		this.root = root;
		this.dir = dir;
		this.cluster = cluster;
	}

	/**
	 * Starts a cluster in the given directory.
	 * @param dir an empty directory, or one that does not exist yet
	 * @return the running cluster
	 * @throws Exception when it cannot be started
	 */
	public static PrivateCluster start(Path dir) throws Exception {
		Path root = ClusterExtension.repositoryRoot();
		int exit = ClusterExtension.ClusterResource.run(root, dir, "up", START_TIMEOUT);
		if (exit != 0) {
			ClusterExtension.ClusterResource.run(root, dir, "down", STOP_TIMEOUT);
			throw new IllegalStateException("scripts/cluster.sh up exited with " + exit + " for " + dir);
		}
		Path kubeconfig = dir.resolve("kubeconfig");
		return new PrivateCluster(root, dir, TestCluster.of(kubeconfig, dir.resolve("audit.log")));
	}

	public TestCluster cluster() {
		return this.cluster;
	}

	/**
	 * A fresh namespace in this cluster; it goes with the cluster.
	 * @param name its name
	 * @return the namespace
	 */
	public TestNamespace namespace(String name) {
		return TestNamespace.create(this.cluster, name);
	}

	/**
	 * Stops the API server (SIGTERM, then SIGKILL after 20 s) and waits until it is gone.
	 * The other components keep running and lose their connection, as in a real outage.
	 */
	public void stopApiServer() throws IOException, InterruptedException {
		long pid = apiServerPid();
		ProcessHandle process = ProcessHandle.of(pid)
			.orElseThrow(() -> new IllegalStateException("kube-apiserver (pid " + pid + ") is not running"));
		this.apiServerCommand = commandLine(pid);
		this.apiServerDirectory = Files.readSymbolicLink(Path.of("/proc/" + pid + "/cwd"));
		if (this.apiServerCommand.isEmpty() || !this.apiServerCommand.get(0).startsWith(this.dir.toString())) {
			throw new IllegalStateException(
					"pid " + pid + " is not this cluster's kube-apiserver: " + this.apiServerCommand);
		}
		process.destroy();
		try {
			process.onExit().get(20, TimeUnit.SECONDS);
		}
		catch (TimeoutException | ExecutionException ex) {
			process.destroyForcibly();
			process.onExit().join();
		}
	}

	/**
	 * Starts the API server again as it was, and waits until it answers.
	 * @return when it answered
	 */
	public Instant startApiServer() throws IOException, InterruptedException {
		if (this.apiServerCommand == null) {
			throw new IllegalStateException("stopApiServer() first");
		}
		File log = kwokClusterDir().resolve("logs/" + API_SERVER + ".log").toFile();
		Process process = new ProcessBuilder(this.apiServerCommand).directory(this.apiServerDirectory.toFile())
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(log))
			.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
			.start();
		recordPid(process.pid());
		Instant deadline = Instant.now().plusSeconds(60);
		while (true) {
			if (!process.isAlive()) {
				throw new IllegalStateException(
						"kube-apiserver exited at once with " + process.exitValue() + "; see " + log);
			}
			if (readyz()) {
				return Instant.now();
			}
			if (Instant.now().isAfter(deadline)) {
				throw new IllegalStateException("kube-apiserver did not answer within 60 s of its restart; see " + log);
			}
			Thread.sleep(100);
		}
	}

	/** The API server's own readiness, with the admin client's credentials. */
	private boolean readyz() {
		Request request = new Request.Builder().url(this.cluster.apiClient().getBasePath() + "/readyz").build();
		try (Response response = this.cluster.apiClient().getHttpClient().newCall(request).execute()) {
			return response.isSuccessful();
		}
		catch (IOException ex) {
			return false;
		}
	}

	private Path kwokClusterDir() {
		return this.dir.resolve("kwok/clusters/unidler");
	}

	private long apiServerPid() throws IOException {
		return Long.parseLong(
				Files.readString(kwokClusterDir().resolve("pids/" + API_SERVER + ".pid")).replaceAll("[^0-9]", ""));
	}

	/** Where {@code scripts/cluster.sh down} finds the PIDs to stop: both lists. */
	private void recordPid(long pid) throws IOException {
		Files.writeString(kwokClusterDir().resolve("pids/" + API_SERVER + ".pid"), Long.toString(pid));
		Path pids = this.dir.resolve("pids");
		List<String> lines = Files.readAllLines(pids)
			.stream()
			.map((line) -> line.startsWith(API_SERVER + " ") ? API_SERVER + " " + pid : line)
			.toList();
		Files.write(pids, lines);
	}

	private static List<String> commandLine(long pid) throws IOException {
		String raw = new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")), StandardCharsets.UTF_8);
		return Arrays.stream(raw.split("\0")).filter((part) -> !part.isEmpty()).collect(Collectors.toList());
	}

	/** The API server's log, for a failing test's message. */
	public Optional<String> apiServerLogTail() {
		try {
			List<String> lines = Files.readAllLines(kwokClusterDir().resolve("logs/" + API_SERVER + ".log"));
			return Optional.of(String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size())));
		}
		catch (IOException ex) {
			return Optional.empty();
		}
	}

	@Override
	public void close() throws Exception {
		int exit = ClusterExtension.ClusterResource.run(this.root, this.dir, "down", STOP_TIMEOUT);
		if (exit != 0) {
			System.err.println("[cluster] scripts/cluster.sh down exited with " + exit + " for " + this.dir);
		}
	}

}
