package dev.unidler.metrics;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.fail;

/**
 * A real Prometheus server, Debian's, started on loopback with a configuration of its own
 * that scrapes one target every second, its storage in a directory of the test's, and
 * ended by its process id. Nothing of a system Prometheus is used or touched.
 */
final class PrometheusServer implements AutoCloseable {

	/** Where Debian's package puts it; {@code PROMETHEUS} names another. */
	static final String DEFAULT_BINARY = "/usr/bin/prometheus";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final Process process;

	private final int port;

	private final Path log;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private PrometheusServer(Process process, int port, Path log) {
		this.process = process;
		this.port = port;
		this.log = log;
	}

	/** The binary, or a failure that says how to install it. */
	static Path binary() {
		String configured = System.getenv("PROMETHEUS");
		Path binary = Path.of((configured != null && !configured.isBlank()) ? configured : DEFAULT_BINARY);
		if (!Files.isExecutable(binary)) {
			fail("No Prometheus server at " + binary + ": run scripts/install-prometheus.sh (make test does), "
					+ "which installs Debian's prometheus package, or set PROMETHEUS to a Prometheus 2.x binary");
		}
		return binary;
	}

	/**
	 * Starts Prometheus scraping a target's {@code /metrics} every second, and waits
	 * until it is ready.
	 * @param directory its configuration, storage and log go here
	 * @param target {@code 127.0.0.1:<port>}
	 */
	static PrometheusServer start(Path directory, String job, String target) throws Exception {
		Path binary = binary();
		// YAML is a superset of JSON: the configuration is built as a tree, never as
		// text.
		ObjectNode config = JSON.createObjectNode();
		config.putObject("global").put("scrape_interval", "1s").put("scrape_timeout", "1s");
		ObjectNode scrape = config.putArray("scrape_configs").addObject();
		scrape.put("job_name", job).put("metrics_path", "/metrics");
		scrape.putArray("static_configs").addObject().putArray("targets").add(target);
		Path file = directory.resolve("prometheus.yml");
		Files.writeString(file, JSON.writeValueAsString(config));
		int port = freePort();
		Path log = directory.resolve("prometheus.log");
		Process process = new ProcessBuilder(binary.toString(), "--config.file=" + file,
				"--storage.tsdb.path=" + directory.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
				"--log.level=warn")
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		PrometheusServer server = new PrometheusServer(process, port, log);
		try {
			server.awaitReady(Duration.ofSeconds(60));
		}
		catch (RuntimeException | Error ex) {
			server.close();
			throw ex;
		}
		return server;
	}

	private void awaitReady(Duration limit) throws InterruptedException {
		long deadline = System.nanoTime() + limit.toNanos();
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				fail("Prometheus exited with " + this.process.exitValue() + ": " + log());
			}
			try {
				HttpResponse<String> ready = this.http.send(request("/-/ready"), HttpResponse.BodyHandlers.ofString());
				if (ready.statusCode() == 200) {
					return;
				}
			}
			catch (IOException ex) {
				// Not listening yet.
			}
			Thread.sleep(200);
		}
		fail("Prometheus was not ready within " + limit + ": " + log());
	}

	/**
	 * An instant query through Prometheus's HTTP API.
	 * @return its {@code data.result}; fails unless Prometheus answers {@code success}
	 */
	JsonNode query(String promql) throws IOException, InterruptedException {
		HttpResponse<String> response = this.http.send(
				request("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)),
				HttpResponse.BodyHandlers.ofString());
		JsonNode body = JSON.readTree(response.body());
		if (response.statusCode() != 200 || !"success".equals(body.path("status").asString())) {
			fail("Prometheus refused " + promql + ": " + response.statusCode() + " " + response.body());
		}
		return body.path("data").path("result");
	}

	/** The value of a query's first sample, or {@code NaN} when it has none. */
	double value(String promql) throws IOException, InterruptedException {
		JsonNode result = query(promql);
		return result.isEmpty() ? Double.NaN : Double.parseDouble(result.get(0).path("value").get(1).asString());
	}

	/** Waits, within a limit, for a query's value to reach at least {@code least}. */
	double awaitAtLeast(String promql, double least, Duration limit) throws Exception {
		long deadline = System.nanoTime() + limit.toNanos();
		double value = Double.NaN;
		while (System.nanoTime() < deadline) {
			value = value(promql);
			if (value >= least) {
				return value;
			}
			Thread.sleep(250);
		}
		return fail("Prometheus says " + promql + " = " + value + " after " + limit + ", not at least " + least
				+ "; targets: " + targets() + "; log: " + log());
	}

	String targets() throws IOException, InterruptedException {
		return this.http.send(request("/api/v1/targets"), HttpResponse.BodyHandlers.ofString()).body();
	}

	private HttpRequest request(String path) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(10))
			.build();
	}

	private String log() {
		try {
			return Files.readString(this.log);
		}
		catch (IOException ex) {
			return "(no log: " + ex.getMessage() + ")";
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	/** Ends the process it started, by its id, and waits for it. */
	@Override
	public void close() {
		this.process.destroy();
		try {
			if (!this.process.waitFor(15, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
