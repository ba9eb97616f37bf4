package dev.unidler.browser;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.unidler.cluster.IdledAppSpec;
import dev.unidler.cluster.RealCluster;
import dev.unidler.cluster.TestCluster;
import dev.unidler.cluster.TestNamespace;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1DeploymentSpec;
import io.kubernetes.client.openapi.models.V1LabelSelector;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1PodTemplateSpec;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServicePort;
import io.kubernetes.client.openapi.models.V1ServiceSpec;
import io.kubernetes.client.util.PatchUtils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static dev.unidler.browser.Pages.js;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console with 1,000 apps on the local control plane: how long the first render takes
 * (from the navigation to every row in the table), how long a change in the cluster takes
 * to reach the page, and how long a filter takes. It prints the figures (log and
 * {@code target/console-figures.md}) and asserts only that everything arrives: timings on
 * a shared machine are reported, not held against a limit.
 */
@RealCluster
class ConsoleScaleBrowserTests {

	private static final Logger logger = LoggerFactory.getLogger(ConsoleScaleBrowserTests.class);

	private static final int APPS = 1_000;

	private static final String TOKEN = "scale-operator-token-0123456789";

	private static final Duration WAIT = Duration.ofSeconds(120);

	/** Records, in the page, when each row was (re)drawn and in what state. */
	private static final String OBSERVE = """
			window.rowsSeen = {};
			new MutationObserver(function (changes) {
				changes.forEach(function (change) {
					change.addedNodes.forEach(function (node) {
						if (node.id) {
							window.rowsSeen[node.id] = {state: node.getAttribute('data-state'), at: Date.now()};
						}
					});
				});
			}).observe(document.getElementById('apps'), {childList: true});
			""";

	@TempDir
	static Path files;

	@BeforeAll
	static void browserInstalled() {
		Chromium.requireInstalled();
	}

	@Test
	void aThousandAppsRenderAndFollowChanges(TestCluster cluster, TestNamespace ns) throws Exception {
		long createStart = System.nanoTime();
		createIdledApps(cluster, ns);
		long createMillis = (System.nanoTime() - createStart) / 1_000_000;
		Path tokens = Files.writeString(files.resolve("tokens.yaml"), """
				tokens:
				  - name: operator
				    token: "%s"
				    operations: [wake, idle, restart]
				    apps:
				      - namespace: %s
				""".formatted(TOKEN, ns.name()));
		List<String> figures = new ArrayList<>();
		figures.add("Created " + APPS + " idled apps (Deployment + Service) in " + createMillis + " ms");
		try (RunningUnidler unidler = RunningUnidler.start(cluster,
				Map.of("unidler.access.tokens-file", tokens.toString(), "unidler.idle.schedules", "false"));
				Chromium chromium = Chromium.start()) {
			ChromeDriver driver = chromium.driver();
			String console = unidler.adminUri() + "/console";
			driver.get(console);
			driver.findElement(By.id("token")).sendKeys(TOKEN);
			driver.findElement(By.id("sign-in-button")).click();
			awaitRows(driver);

			List<Long> renders = new ArrayList<>();
			for (int run = 0; run < 5; run++) {
				driver.navigate().refresh();
				awaitRows(driver);
				renders.add(((Number) js(driver).executeScript(
						"return Number(document.documentElement.getAttribute('data-loaded')) - performance.timeOrigin;"))
					.longValue());
			}
			Object rows = js(driver).executeScript("return document.querySelectorAll('#apps tr').length;");
			assertThat(((Number) rows).intValue()).isEqualTo(APPS);
			figures.add("First render, navigation to " + APPS + " rows drawn (5 loads): " + renders + " ms");

			js(driver).executeScript(OBSERVE);
			List<Long> changes = new ArrayList<>();
			for (int i = 0; i < 10; i++) {
				String name = name(i * 97 % APPS);
				String row = "app-Deployment/" + ns.name() + "/" + name;
				long before = System.currentTimeMillis();
				// The old platform's half-woken app: the idled label stripped.
				stripIdledLabel(cluster, ns, name);
				new WebDriverWait(driver, WAIT, Duration.ofMillis(20)).until((d) -> "drifted"
					.equals(js(d).executeScript("var s = window.rowsSeen[arguments[0]]; return s && s.state;", row)));
				long at = ((Number) js(driver).executeScript("return window.rowsSeen[arguments[0]].at;", row))
					.longValue();
				changes.add(at - before);
			}
			figures.add("A change in the cluster (idled label stripped) to its row redrawn, 10 changes: " + changes
					+ " ms");

			Object filter = js(driver).executeScript("var select = document.getElementById('state-filter');"
					+ " var start = performance.now(); select.value = 'drifted';"
					+ " select.dispatchEvent(new Event('change')); return performance.now() - start;");
			Object shown = js(driver)
				.executeScript("return document.querySelectorAll('#apps tr:not([hidden])').length;");
			assertThat(((Number) shown).intValue()).isEqualTo(10);
			figures.add(String.format(Locale.ROOT, "Filtering %d rows by state: %.1f ms", APPS,
					((Number) filter).doubleValue()));
		}
		figures.forEach((figure) -> logger.info("Console figure: {}", figure));
		Files.write(Path.of("target/console-figures.md"), figures.stream().map((figure) -> "- " + figure).toList());
	}

	private static void awaitRows(ChromeDriver driver) {
		new WebDriverWait(driver, WAIT, Duration.ofMillis(20))
			.until((d) -> ((Number) js(d).executeScript("return document.querySelectorAll('#apps tr').length;"))
				.intValue() == APPS
					&& js(d).executeScript("return document.documentElement.getAttribute('data-loaded');") != null);
	}

	private static String name(int i) {
		return String.format(Locale.ROOT, "app%04d", i);
	}

	private static void createIdledApps(TestCluster cluster, TestNamespace ns) throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(8);
		try {
			List<Future<?>> created = new ArrayList<>();
			for (int i = 0; i < APPS; i++) {
				String name = name(i);
				created.add(pool.submit(() -> {
					createIdledApp(cluster, ns, name);
					return null;
				}));
			}
			for (Future<?> each : created) {
				each.get();
			}
		}
		finally {
			pool.shutdownNow();
		}
	}

	private static void createIdledApp(TestCluster cluster, TestNamespace ns, String name) throws Exception {
		String host = name + "-" + Pages.suffix(ns) + ".example.test";
		Map<String, String> labels = Map.of("app", name, "host", host);
		cluster.apps()
			.createNamespacedDeployment(ns.name(),
					new V1Deployment()
						.metadata(new V1ObjectMeta().name(name)
							.labels(Map.of("app", name, "host", host, IdledAppSpec.IDLED_LABEL, "true"))
							.annotations(Map.of(IdledAppSpec.IDLED_AT_ANNOTATION, IdledAppSpec.DEFAULT_IDLED_AT,
									IdledAppSpec.REPLICAS_ANNOTATION, "1")))
						.spec(new V1DeploymentSpec().replicas(0)
							.selector(new V1LabelSelector().matchLabels(Map.of("app", name)))
							.template(new V1PodTemplateSpec().metadata(new V1ObjectMeta().labels(Map.of("app", name)))
								.spec(new V1PodSpec()
									.addContainersItem(new V1Container().name("app").image(TestNamespace.APP_IMAGE))))))
			.execute();
		cluster.core()
			.createNamespacedService(ns.name(),
					new V1Service().metadata(new V1ObjectMeta().name(name).labels(labels))
						.spec(new V1ServiceSpec().type("ExternalName")
							.externalName(IdledAppSpec.UNIDLER_NAME)
							.addPortsItem(new V1ServicePort().name("http").port(80))))
			.execute();
	}

	private static void stripIdledLabel(TestCluster cluster, TestNamespace ns, String name) throws Exception {
		V1Patch patch = new V1Patch("{\"metadata\":{\"labels\":{\"" + IdledAppSpec.IDLED_LABEL + "\":null}}}");
		PatchUtils.patch(V1Deployment.class,
				() -> cluster.apps().patchNamespacedDeployment(name, ns.name(), patch).buildCall(null),
				V1Patch.PATCH_FORMAT_STRATEGIC_MERGE_PATCH, cluster.apiClient());
	}

}
