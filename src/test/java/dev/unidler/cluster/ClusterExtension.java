package dev.unidler.cluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.VersionApi;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests a real Kubernetes cluster ({@link TestCluster}) and a fresh namespace per
 * test method ({@link TestNamespace}).
 * <p>
 * The cluster is found once per test run (kept in the root store and closed at the end of
 * the run):
 * <ol>
 * <li>{@code UNIDLER_TEST_KUBECONFIG}, when set, names the kubeconfig of a cluster to use
 * (an {@code audit.log} next to it is used as the audit log);</li>
 * <li>otherwise {@code <repo>/target/cluster/kubeconfig}, when it exists and the API
 * answers;</li>
 * <li>otherwise {@code scripts/cluster.sh up} starts a cluster in
 * {@code <repo>/target/cluster}, and {@code scripts/cluster.sh down} stops it at the end
 * of the run.</li>
 * </ol>
 * When no cluster can be had the tests fail (they are never skipped), saying what is
 * missing.
 */
public class ClusterExtension implements BeforeAllCallback, ParameterResolver {

	/** Environment variable naming the kubeconfig of an existing cluster to use. */
	public static final String KUBECONFIG_ENV = "UNIDLER_TEST_KUBECONFIG";

	private static final Namespace NAMESPACE = Namespace.create(ClusterExtension.class);

	private static final Duration START_TIMEOUT = Duration.ofMinutes(30);

	private static final Duration STOP_TIMEOUT = Duration.ofMinutes(2);

	@Override
	public void beforeAll(ExtensionContext context) {
		// Fail the whole class at once, and clearly, when there is no cluster.
		cluster(context);
	}

	@Override
	public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		Class<?> type = parameterContext.getParameter().getType();
		return type == TestCluster.class || type == TestNamespace.class;
	}

	@Override
	public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		Class<?> type = parameterContext.getParameter().getType();
		if (type == TestCluster.class) {
			return cluster(extensionContext);
		}
		if (extensionContext.getTestMethod().isEmpty()) {
			throw new ParameterResolutionException(
					"A TestNamespace belongs to one test method: take it as a parameter of the test method or of a "
							+ "@BeforeEach/@AfterEach method, not of " + parameterContext.getDeclaringExecutable());
		}
		TestCluster cluster = cluster(extensionContext);
		return extensionContext.getStore(NAMESPACE)
			.computeIfAbsent(TestNamespaceResource.class,
					(key) -> TestNamespaceResource.create(cluster, namespaceName(extensionContext)),
					TestNamespaceResource.class)
			.namespace();
	}

	/**
	 * The cluster of this test run, found or started on first use.
	 * @param context any extension context of the run
	 * @return the cluster
	 */
	public static TestCluster cluster(ExtensionContext context) {
		ClusterResource resource = context.getRoot()
			.getStore(NAMESPACE)
			.computeIfAbsent(ClusterResource.class, (key) -> ClusterResource.obtain(), ClusterResource.class);
		return resource.cluster();
	}

	static String namespaceName(ExtensionContext context) {
		String test = context.getTestMethod().map(Method::getName).orElse(context.getDisplayName());
		String base = test.replaceAll("([a-z0-9])([A-Z])", "$1-$2")
			.toLowerCase(Locale.ROOT)
			.replaceAll("[^a-z0-9]+", "-")
			.replaceAll("^-+", "");
		// "t-" + base + "-" + 5 random characters must fit a DNS-1123 label (63).
		if (base.length() > 55) {
			base = base.substring(0, 55);
		}
		base = base.replaceAll("-+$", "");
		if (base.isEmpty()) {
			base = "test";
		}
		StringBuilder suffix = new StringBuilder();
		String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
		for (int i = 0; i < 5; i++) {
			suffix.append(alphabet.charAt(ThreadLocalRandom.current().nextInt(alphabet.length())));
		}
		return "t-" + base + "-" + suffix;
	}

	static Path repositoryRoot() {
		Path dir = Path.of("").toAbsolutePath();
		for (Path candidate = dir; candidate != null; candidate = candidate.getParent()) {
			if (Files.isRegularFile(candidate.resolve("scripts/cluster.sh"))
					&& Files.isRegularFile(candidate.resolve("pom.xml"))) {
				return candidate;
			}
		}
		throw new IllegalStateException("Cannot find the repository root (a directory with pom.xml and "
				+ "scripts/cluster.sh) from the working directory " + dir
				+ ": run the tests from the repository (Maven does), or set " + KUBECONFIG_ENV);
	}

	static boolean answers(Path kubeconfig) {
		try {
			ApiClient client = TestCluster.client(kubeconfig, Duration.ofSeconds(5));
			client.setConnectTimeout(5_000);
			new VersionApi(client).getCode().execute();
			return true;
		}
		catch (IOException | ApiException | RuntimeException ex) {
			return false;
		}
	}

	/**
	 * The run's cluster, or why there is none (so every test fails with the same clear
	 * message without trying again). Stops the cluster at the end of the run if this run
	 * started it.
	 */
	static final class ClusterResource implements AutoCloseable {

		private final TestCluster cluster;

		private final String failure;

		private final Path startedIn;

		private ClusterResource(TestCluster cluster, String failure, Path startedIn) {
			this.cluster = cluster;
			this.failure = failure;
			this.startedIn = startedIn;
		}

		static ClusterResource obtain() {
			try {
				return find();
			}
			catch (Exception ex) {
				return new ClusterResource(null, ex.getMessage(), null);
			}
		}

		private static ClusterResource find() throws Exception {
			String given = System.getenv(KUBECONFIG_ENV);
			if (given != null && !given.isBlank()) {
				Path kubeconfig = Path.of(given).toAbsolutePath();
				if (!Files.isRegularFile(kubeconfig)) {
					throw new IllegalStateException(KUBECONFIG_ENV + "=" + given + " is not a file");
				}
				if (!answers(kubeconfig)) {
					throw new IllegalStateException(
							"The cluster of " + KUBECONFIG_ENV + "=" + given + " does not answer: start it, or unset "
									+ KUBECONFIG_ENV + " to let the tests start their own");
				}
				Path audit = kubeconfig.resolveSibling("audit.log");
				return new ClusterResource(TestCluster.of(kubeconfig, Files.exists(audit) ? audit : null), null, null);
			}
			Path root = repositoryRoot();
			Path dir = root.resolve("target/cluster");
			Path kubeconfig = dir.resolve("kubeconfig");
			if (Files.isRegularFile(kubeconfig) && answers(kubeconfig)) {
				return new ClusterResource(TestCluster.of(kubeconfig, dir.resolve("audit.log")), null, null);
			}
			start(root, dir);
			if (!Files.isRegularFile(kubeconfig)) {
				throw new IllegalStateException("scripts/cluster.sh up succeeded but wrote no " + kubeconfig);
			}
			return new ClusterResource(TestCluster.of(kubeconfig, dir.resolve("audit.log")), null, dir);
		}

		private static void start(Path root, Path dir) throws Exception {
			int exit = run(root, dir, "up", START_TIMEOUT);
			if (exit != 0) {
				throw new IllegalStateException("Could not start a Kubernetes cluster for the tests: "
						+ "scripts/cluster.sh up exited with " + exit + " (its [cluster]/[tools] messages above "
						+ "say what is missing). The tools come from scripts/install-tools.sh (needs Go 1.26+, etcd "
						+ "from apt, kubectl 1.33); run it, then CLUSTER_DIR=target/cluster scripts/cluster.sh up "
						+ "to see the problem, or point " + KUBECONFIG_ENV + " at a running cluster.");
			}
		}

		/**
		 * Runs {@code scripts/cluster.sh <command>}, copying its output to
		 * {@code System.err} (writing to the inherited file descriptors directly would
		 * corrupt the channel between Maven Surefire and its forked JVM).
		 */
		static int run(Path root, Path dir, String command, Duration timeout) throws Exception {
			ProcessBuilder builder = new ProcessBuilder(List.of(root.resolve("scripts/cluster.sh").toString(), command))
				.directory(root.toFile())
				.redirectErrorStream(true)
				.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
			builder.environment().put("CLUSTER_DIR", dir.toString());
			Process process;
			try {
				process = builder.start();
			}
			catch (IOException ex) {
				throw new IllegalStateException("Cannot run scripts/cluster.sh (" + ex.getMessage()
						+ "): it needs bash and must be executable (chmod +x scripts/cluster.sh)", ex);
			}
			Thread pump = Thread.ofPlatform().daemon().name("cluster.sh-" + command).start(() -> {
				try (BufferedReader reader = new BufferedReader(
						new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
					String line;
					while ((line = reader.readLine()) != null) {
						System.err.println(line);
					}
				}
				catch (IOException ex) {
					// the process is gone
				}
			});
			if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				process.descendants().forEach(ProcessHandle::destroy);
				process.destroy();
				throw new IllegalStateException(
						"scripts/cluster.sh " + command + " did not finish within " + timeout.toMinutes() + " min");
			}
			pump.join(2_000);
			return process.exitValue();
		}

		TestCluster cluster() {
			if (this.cluster == null) {
				throw new IllegalStateException("No Kubernetes cluster for the tests: " + this.failure);
			}
			return this.cluster;
		}

		@Override
		public void close() throws Exception {
			if (this.startedIn != null) {
				int exit = run(this.startedIn.getParent().getParent(), this.startedIn, "down", STOP_TIMEOUT);
				if (exit != 0) {
					System.err.println("[cluster] scripts/cluster.sh down exited with " + exit);
				}
			}
		}

	}

	/** A test method's namespace, deleted (without waiting) after the test. */
	record TestNamespaceResource(TestNamespace namespace) implements AutoCloseable {

		static TestNamespaceResource create(TestCluster cluster, String name) {
			return new TestNamespaceResource(TestNamespace.create(cluster, name));
		}

		@Override
		public void close() {
			this.namespace.delete();
		}

	}

}
