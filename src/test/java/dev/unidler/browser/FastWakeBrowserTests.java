package dev.unidler.browser;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.unidler.cluster.IdledApp;
import dev.unidler.cluster.IdledAppSpec;
import dev.unidler.cluster.RealCluster;
import dev.unidler.cluster.TestCluster;
import dev.unidler.cluster.TestNamespace;
import dev.unidler.demo.IngressStandIn;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import static dev.unidler.browser.Pages.await;
import static dev.unidler.browser.Pages.js;
import static dev.unidler.browser.Pages.removeNodeSelector;
import static dev.unidler.browser.Pages.rootAttribute;
import static dev.unidler.browser.Pages.showsApp;
import static dev.unidler.browser.Pages.stepState;
import static dev.unidler.browser.Pages.suffix;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The journey at the speeds it really happens. KWOK pods are ready at once, so a wake
 * usually ends, and the app's host stops reaching the unidler, before the browser has
 * even parsed the page: the page must get the browser to the app all the same. And when
 * the stream is lost, the page finds out whether the app is back instead of calling it a
 * failure, without reloading in a loop when nothing answers.
 */
@RealCluster
class FastWakeBrowserTests {

	private static final Duration LAND_TIMEOUT = Duration.ofSeconds(30);

	private static final int RUNS = 20;

	@BeforeAll
	static void browserInstalled() {
		Chromium.requireInstalled();
	}

	@Test
	void fastAppsLandOnTheirOwnPageEveryTime(TestCluster cluster, TestNamespace namespace) throws Exception {
		// Replicas 1 and 3 and the legacy idled-at form, in turn, each a fresh idled app.
		List<IdledApp> apps = new ArrayList<>();
		for (int run = 0; run < RUNS; run++) {
			String name = "fast" + run;
			IdledAppSpec spec = IdledAppSpec.named(name).host(name + "-" + suffix(namespace) + ".example.test");
			spec = switch (run % 3) {
				case 0 -> spec.replicasAnnotation("1");
				case 1 -> spec.replicasAnnotation("3");
				default -> spec.replicasAnnotation(null).idledAt(IdledAppSpec.DEFAULT_IDLED_AT + ",2");
			};
			apps.add(namespace.createIdledApp(spec));
		}
		List<String> failures = new ArrayList<>();
		try (RunningUnidler unidler = RunningUnidler.start(cluster, Map.of());
				IngressStandIn standIn = IngressStandIn.start(0, unidler.uri(), cluster.apiClient());
				Chromium chromium = Chromium.start()) {
			ChromeDriver driver = chromium.driver();
			for (int run = 0; run < RUNS; run++) {
				IdledApp app = apps.get(run);
				String url = "http://" + app.host() + ":" + standIn.port() + "/run/" + run + "?n=" + run
						+ "&q=%3Cb%3E#part";
				driver.get(url);
				try {
					new WebDriverWait(driver, LAND_TIMEOUT).until(Pages::showsApp);
					String path = driver.findElement(By.id("path")).getText();
					String query = driver.findElement(By.id("query")).getText();
					if (!driver.getCurrentUrl().equals(url) || !path.equals("/run/" + run)
							|| !query.equals("n=" + run + "&q=%3Cb%3E")) {
						failures.add("run " + run + " landed on " + driver.getCurrentUrl() + " (" + path + "?" + query
								+ ")");
					}
				}
				catch (TimeoutException ex) {
					chromium.screenshot("fast-run-" + run + "-failed");
					failures.add("run " + run + " (" + app.host() + ") ended on \"" + driver.getTitle() + "\": "
							+ driver.findElement(By.tagName("body")).getText().replace('\n', ' '));
				}
			}
			chromium.screenshot("fast-landed");
		}
		assertThat(failures).as("runs that did not land on the app's page").isEmpty();
		for (IdledApp app : apps) {
			assertThat(app.service().getSpec().getType()).isEqualTo("ClusterIP");
		}
	}

	@Test
	void aStreamCutWhileTheAppComesUpLandsOnTheApp(TestCluster cluster, TestNamespace namespace) throws Exception {
		String host = "cut-" + suffix(namespace) + ".example.test";
		IdledApp app = namespace.createIdledApp(IdledAppSpec.named("cut").host(host).unschedulable(true));
		try (RunningUnidler unidler = RunningUnidler.start(cluster, Map.of("unidler.wake.unschedulable-grace", "5m"));
				IngressStandIn standIn = IngressStandIn.start(0, unidler.uri(), cluster.apiClient());
				Chromium chromium = Chromium.start()) {
			ChromeDriver driver = chromium.driver();
			String url = "http://" + host + ":" + standIn.port() + "/dashboards/7?tab=2#chart";
			driver.get(url);
			await(driver).until((d) -> "running".equals(stepState(d, "await-available")));

			// The unidler drops out of reach and the stream with it, while the wake goes
			// on in the unidler and the app comes up: the page cannot hear the end of it.
			standIn.unidlerReachable(false);
			standIn.cutUnidlerStreams();
			removeNodeSelector(cluster, app);

			new WebDriverWait(driver, LAND_TIMEOUT).until(Pages::showsApp);
			assertThat(driver.getCurrentUrl()).isEqualTo(url);
			assertThat(driver.findElement(By.id("path")).getText()).isEqualTo("/dashboards/7");
			assertThat(driver.findElement(By.id("query")).getText()).isEqualTo("tab=2");
		}
	}

	@Test
	void anUnidlerThatIsGoneEndsWithAPlainMessageNotAReloadLoop(TestCluster cluster, TestNamespace namespace)
			throws Exception {
		String host = "gone-" + suffix(namespace) + ".example.test";
		namespace.createIdledApp(IdledAppSpec.named("gone").host(host).unschedulable(true));
		RunningUnidler unidler = RunningUnidler.start(cluster, Map.of("unidler.wake.unschedulable-grace", "5m"));
		try (IngressStandIn standIn = IngressStandIn.start(0, unidler.uri(), cluster.apiClient());
				Chromium chromium = Chromium.start()) {
			ChromeDriver driver = chromium.driver();
			String url = "http://" + host + ":" + standIn.port() + "/notebook?id=3";
			driver.get(url);
			await(driver).until((d) -> "running".equals(stepState(d, "await-available")));
			js(driver).executeScript("window.sameLoad = true;");

			// The unidler stops for good, and drops out of reach at once; the app never
			// comes up.
			standIn.unidlerReachable(false);
			standIn.cutUnidlerStreams();
			unidler.close();

			new WebDriverWait(driver, Duration.ofSeconds(60))
				.until((d) -> "true".equals(rootAttribute(d, "data-unreachable")));
			// It looked before it reloaded, and nothing answered: still the same page.
			assertThat(js(driver).executeScript("return window.sameLoad === true;")).isEqualTo(true);
			assertThat(rootAttribute(driver, "data-lost-attempt")).isEqualTo("6");
			assertThat(driver.findElement(By.tagName("h1")).getText()).contains("Cannot reach").contains(host);
			assertThat(driver.findElement(By.id("failure-message")).getText())
				.startsWith("Neither the app nor the service that wakes it answers.");
			assertThat(driver.findElement(By.id("retry")).isDisplayed()).isTrue();
			assertThat(driver.switchTo().activeElement().getDomAttribute("id")).isEqualTo("retry");
			assertThat(driver.getCurrentUrl()).isEqualTo(url);
			assertThat(showsApp(driver)).isFalse();
			chromium.screenshot("unreachable");
		}
		finally {
			unidler.close();
		}
	}

}
