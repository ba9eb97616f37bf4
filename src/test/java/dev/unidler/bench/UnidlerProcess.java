package dev.unidler.bench;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The unidler under test, a process of its own on a free loopback port. Start-up is timed
 * from just before the process is started to the first {@code 200} of {@code /healthz}
 * (which the unidler answers only once its cluster cache has synced).
 */
final class UnidlerProcess implements AutoCloseable {

	private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

	private final Process process;

	private final int port;

	private final Duration startUp;

	private final Path log;

	private UnidlerProcess(Process process, int port, Duration startUp, Path log) {
		this.process = process;
		this.port = port;
		this.startUp = startUp;
		this.log = log;
	}

	/**
	 * Starts the unidler and waits until {@code /healthz} answers {@code 200}.
	 * @param launcher how to start it
	 * @param environment its settings, as environment variables
	 * @param log where its output goes
	 * @param timeout the longest start-up allowed
	 * @return the healthy process
	 */
	static UnidlerProcess start(Launcher launcher, Map<String, String> environment, Path log, Duration timeout)
			throws IOException, InterruptedException {
		int port = freePort();
		Map<String, String> env = new HashMap<>(environment);
		env.put("PORT", Integer.toString(port));
		env.put("SERVER_ADDRESS", "127.0.0.1");
		env.put("UNIDLER_ADMIN_PORT", "0");
		env.put("UNIDLER_ADMIN_ADDRESS", "127.0.0.1");
		// The benchmark stops instances with wakes still running: no drain, no waiting.
		env.put("UNIDLER_SHUTDOWN_DRAIN", "0s");
		env.put("SPRING_LIFECYCLE_TIMEOUTPERSHUTDOWNPHASE", "1s");
		Files.createDirectories(log.getParent());
		ProcessBuilder builder = new ProcessBuilder(launcher.command()).directory(launcher.directory().toFile())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
		builder.environment().putAll(env);
		HttpClient http = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(1))
			.build();
		HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz"))
			.timeout(Duration.ofSeconds(1))
			.build();
		long started = System.nanoTime();
		Process process = builder.start();
		long deadline = started + timeout.toNanos();
		try {
			while (true) {
				if (!process.isAlive()) {
					throw new IllegalStateException(
							"The unidler exited during start-up with " + process.exitValue() + ": " + tail(log));
				}
				try {
					if (http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
						return new UnidlerProcess(process, port, Duration.ofNanos(System.nanoTime() - started), log);
					}
				}
				catch (IOException ex) {
					// not listening yet
				}
				if (System.nanoTime() > deadline) {
					throw new IllegalStateException(
							"/healthz did not answer 200 within " + timeout.toSeconds() + " s: " + tail(log));
				}
				Thread.sleep(10);
			}
		}
		catch (InterruptedException | RuntimeException ex) {
			process.destroyForcibly();
			throw ex;
		}
		finally {
			http.close();
		}
	}

	int port() {
		return this.port;
	}

	long pid() {
		return this.process.pid();
	}

	Duration startUp() {
		return this.startUp;
	}

	/** Resident set size now, from {@code /proc/<pid>/status}. */
	long rssKiB() {
		return status("VmRSS:");
	}

	/** Threads now, from {@code /proc/<pid>/status}. */
	int threads() {
		return (int) status("Threads:");
	}

	/**
	 * CPU time the process has used so far (user and system, from
	 * {@code /proc/<pid>/stat}, in clock ticks of 10 ms).
	 */
	double cpuSeconds() {
		try {
			String stat = Files.readString(Path.of("/proc/" + pid() + "/stat"));
			String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
			// After the command: state is field 3, utime field 14, stime field 15.
			return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read the CPU time of pid " + pid(), ex);
		}
	}

	private long status(String field) {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/" + pid() + "/status"))) {
				if (line.startsWith(field)) {
					return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read the status of pid " + pid(), ex);
		}
		throw new IllegalStateException("No " + field + " in /proc/" + pid() + "/status");
	}

	/**
	 * The heap in use after a full collection ({@code jcmd <pid> GC.run}, then
	 * {@code GC.heap_info}): the sum over the heap's lines with a total, which are one
	 * for G1 ({@code garbage-first heap total …, used …K}) and one per generation for the
	 * serial collector the image uses ({@code DefNew}, {@code Tenured}); the metaspace
	 * lines have none.
	 */
	long heapAfterGcKiB() throws IOException, InterruptedException {
		jcmd("GC.run");
		String info = jcmd("GC.heap_info");
		long total = 0;
		boolean found = false;
		for (String line : info.split("\\R")) {
			if (line.contains(" total ")) {
				Matcher used = HEAP_USED.matcher(line);
				if (used.find()) {
					total += Long.parseLong(used.group(1));
					found = true;
				}
			}
		}
		if (!found) {
			throw new IllegalStateException("No heap figure in jcmd GC.heap_info: " + info);
		}
		return total;
	}

	private String jcmd(String command) throws IOException, InterruptedException {
		Path jcmd = Launcher.java().resolveSibling("jcmd");
		Process process = new ProcessBuilder(List.of(jcmd.toString(), Long.toString(pid()), command))
			.redirectErrorStream(true)
			.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
			.start();
		byte[] output = process.getInputStream().readAllBytes();
		if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
			process.destroyForcibly();
			throw new IllegalStateException(
					"jcmd " + command + " failed: " + new String(output, StandardCharsets.UTF_8));
		}
		return new String(output, StandardCharsets.UTF_8);
	}

	/** The end of the unidler's output, for an error message. */
	static String tail(Path log) {
		try {
			List<String> lines = Files.readAllLines(log);
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
		}
		catch (IOException ex) {
			return "(no output: " + ex.getMessage() + ")";
		}
	}

	Path log() {
		return this.log;
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	/** Stops the process (SIGTERM, then SIGKILL after 20 s) and waits for it. */
	@Override
	public void close() throws InterruptedException {
		this.process.destroy();
		if (!this.process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
			this.process.destroyForcibly();
			this.process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
	}

}
