package dev.unidler.bench;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import io.kubernetes.client.openapi.ApiClient;
import reactor.netty.http.HttpResources;

/**
 * The project's benchmark against the local control plane ({@code make bench}; issue 12):
 * notify latency, API requests per wake and per request, waiting SSE clients, many apps
 * waking at once, memory for many labelled apps, waiting-page renders, start-up and idle
 * cost. Prints a table of figures beside their goals; in full form also writes
 * {@code docs/benchmarks.md}.
 * <p>
 * {@code Bench full <admin kubeconfig> <jar>} runs the unidler from the packaged jar the
 * way the container image starts it; {@code Bench short <admin kubeconfig>} from the
 * class path, with small numbers ({@code BenchmarkTests} runs it in the build). The
 * cluster's audit log must sit next to the kubeconfig, as {@code scripts/cluster.sh} puts
 * it. Every wait is bounded; the full form takes under 10 minutes on 2 cores.
 */
public final class Bench {

	private final List<String> failures = new ArrayList<>();

	private Bench() {
	}

	public static void main(String[] args) throws Exception {
		if (args.length < 2 || ("full".equals(args[0]) && args.length < 3)) {
			System.err.println("Usage: Bench full <admin kubeconfig> <jar> | Bench short <admin kubeconfig>");
			System.exit(2);
		}
		BenchSettings settings = BenchSettings.of(args[0]);
		Path kubeconfig = Path.of(args[1]).toAbsolutePath();
		Path root = repositoryRoot();
		Path work = root.resolve("target/bench");
		Launcher launcher = "full".equals(settings.mode())
				? Launcher.image(root, Path.of(args[2]).toAbsolutePath(), work)
				: Launcher.classpath(System.getProperty("java.class.path"), root);
		String command = "full".equals(settings.mode()) ? "make bench" : "Bench short";
		int exit = 0;
		try {
			Result result = run(settings, kubeconfig, root, launcher, work, command, System.out);
			if ("full".equals(settings.mode())) {
				Path docs = root.resolve("docs/benchmarks.md");
				Files.writeString(docs, result.report().markdown(), StandardCharsets.UTF_8);
				System.out.println("[bench] wrote " + root.relativize(docs));
			}
			if (!result.failures().isEmpty()) {
				System.err.println("[bench] scenarios that failed: " + result.failures());
				exit = 1;
			}
		}
		finally {
			HttpResources.disposeLoopsAndConnections();
		}
		System.exit(exit);
	}

	/**
	 * Runs every scenario and prints the table.
	 * @return the report, and the scenarios that failed (their figures are missing)
	 */
	static Result run(BenchSettings settings, Path kubeconfig, Path root, Launcher launcher, Path work, String command,
			PrintStream out) throws Exception {
		long started = System.nanoTime();
		String loadBefore = Machine.loadAverage();
		Files.createDirectories(work);
		BenchCluster cluster = BenchCluster.of(kubeconfig, root);
		if (!Files.exists(cluster.auditLog())) {
			throw new IllegalStateException("No audit log next to " + kubeconfig
					+ ": the benchmark counts API requests in the audit log scripts/cluster.sh writes");
		}
		out.println("[bench] " + settings.mode() + " form; the unidler runs as: " + launcher.description());
		Path unidlerKubeconfig = cluster.unidlerIdentity(work);
		cluster.createNode();
		ApiClient watching = cluster.newClient(Duration.ZERO);
		BenchRun run = new BenchRun(settings, cluster, watching, launcher, unidlerKubeconfig, work);
		Bench bench = new Bench();
		List<String> namespaces = new ArrayList<>();
		Section startUp = null;
		List<Section> latency = List.of();
		Section hosts = null;
		Section renders = null;
		Section clients = null;
		Section fleet = null;
		Section labelled = null;
		try {
			String apps = cluster.newNamespace("bench-apps");
			namespaces.add(apps);
			out.println("[bench] start-up (" + settings.startUpRuns() + " runs)");
			StartUp.Result first = bench.attempt("start-up", () -> StartUp.measure(run));
			startUp = (first != null) ? first.section() : null;
			if (first != null) {
				try (UnidlerProcess unidler = first.process(); HttpLoad load = new HttpLoad(unidler.port())) {
					out.println("[bench] notify latency and API requests per wake (" + settings.subscribers()
							+ " subscribers, " + settings.latencyRuns() + " runs each)");
					NotifyLatency wakes = new NotifyLatency(run, unidler, load, apps);
					List<Section> measured = bench.attempt("notify latency", wakes::measure);
					latency = (measured != null) ? measured : List.of();
					if (wakes.awakeHost() != null) {
						out.println("[bench] requests for unknown and awake hosts");
						hosts = bench.attempt("unknown hosts",
								() -> HostRequests.measure(run, load, apps, wakes.awakeHost()));
					}
					out.println("[bench] waiting-page renders");
					renders = bench.attempt("page renders", () -> PageRenders.measure(run, unidler, load, apps));
				}
			}
			out.println("[bench] " + BenchRun.count(settings.waitingClients()) + " waiting SSE clients");
			try (UnidlerProcess unidler = run.start("clients",
					Map.of("UNIDLER_EVENTS_HEARTBEAT", settings.heartbeat().toSeconds() + "s"));
					HttpLoad load = new HttpLoad(unidler.port())) {
				clients = bench.attempt("waiting clients", () -> WaitingClients.measure(run, unidler, load, apps));
				out.println("[bench] " + BenchRun.count(settings.fleet()) + " apps waking at once");
				String fleetNamespace = cluster.newNamespace("bench-fleet");
				namespaces.add(fleetNamespace);
				fleet = bench.attempt("fleet", () -> Fleet.wakeAll(run, unidler, load, fleetNamespace));
				out.println("[bench] " + BenchRun.count(settings.labelledApps()) + " labelled apps");
				String labelledNamespace = cluster.newNamespace("bench-labelled");
				namespaces.add(labelledNamespace);
				labelled = bench.attempt("labelled apps",
						() -> Fleet.labelledApps(run, unidler, load, labelledNamespace));
			}
		}
		finally {
			namespaces.forEach(cluster::deleteNamespace);
			cluster.deleteNode();
		}
		// In the order of issue 12.
		List<Section> sections = new ArrayList<>(latency);
		for (Section section : new Section[] { hosts, clients, fleet, labelled, renders, startUp }) {
			if (section != null) {
				sections.add(section);
			}
		}
		double minutes = (System.nanoTime() - started) / 60e9;
		String date = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"));
		Report report = new Report(Machine.current(), settings, launcher.description(), command, date, minutes,
				loadBefore, Machine.loadAverage(), sections);
		out.println();
		out.print(report.table());
		out.println("[bench] " + settings.mode() + " form done in " + Figure.number(minutes) + " min; load average "
				+ loadBefore + " before, " + report.loadAfter() + " after"
				+ (bench.failures.isEmpty() ? "" : "; failed: " + bench.failures));
		return new Result(report, List.copyOf(bench.failures));
	}

	/** Runs a scenario; a failure is reported and the next scenario runs. */
	private <T> T attempt(String scenario, Callable<T> measure) {
		try {
			return measure.call();
		}
		catch (Exception ex) {
			StringBuilder causes = new StringBuilder(ex.toString());
			for (Throwable cause = ex.getCause(); cause != null; cause = cause.getCause()) {
				causes.append("; caused by ").append(cause);
			}
			this.failures.add(scenario + ": " + causes);
			System.err.println("[bench] " + scenario + " failed: " + causes);
			return null;
		}
	}

	static Path repositoryRoot() {
		for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
			if (Files.isRegularFile(dir.resolve("pom.xml")) && Files.isRegularFile(dir.resolve("scripts/cluster.sh"))) {
				return dir;
			}
		}
		throw new IllegalStateException(
				"Run the benchmark from the repository (no pom.xml and scripts/cluster.sh above "
						+ Path.of("").toAbsolutePath() + ")");
	}

	/**
	 * @param report the figures
	 * @param failures the scenarios that failed
	 */
	record Result(Report report, List<String> failures) {

	}

}
