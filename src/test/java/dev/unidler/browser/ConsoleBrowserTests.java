package dev.unidler.browser;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.unidler.cluster.IdledApp;
import dev.unidler.cluster.IdledAppSpec;
import dev.unidler.cluster.RealCluster;
import dev.unidler.cluster.TestCluster;
import dev.unidler.cluster.TestNamespace;
import dev.unidler.restart.AwakeWorkloads;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import static dev.unidler.browser.Pages.js;
import static dev.unidler.browser.Pages.suffix;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console in Chromium against the real control plane: signing in through its form,
 * apps in every state at rest (a half-woken one saying what is wrong), an action refused
 * with its reason, a wake that fails and a restart that streams its progress inline, an
 * app woken from its waiting page in another tab changing state without a reload, and the
 * console never served for an app's host. Saves {@code docs/console.png}.
 */
@RealCluster
class ConsoleBrowserTests {

	private static final String TOKEN = "console-operator-token-0123456789";

	private static final Duration WAIT = Duration.ofSeconds(60);

	/** The README's screenshot. */
	private static final Path SCREENSHOT = Path.of("docs/console.png");

	@TempDir
	static Path files;

	@BeforeAll
	static void browserInstalled() {
		Chromium.requireInstalled();
	}

	@Test
	void theConsoleShowsEveryStateFollowsChangesLiveAndStreamsActions(TestCluster cluster, TestNamespace ns)
			throws Exception {
		String suffix = suffix(ns);
		IdledApp sleepy = ns.createIdledApp(IdledAppSpec.named("reports").host("reports-" + suffix + ".example.test"));
		IdledApp visited = ns
			.createIdledApp(IdledAppSpec.named("notebook").host("notebook-" + suffix + ".example.test"));
		IdledApp half = ns
			.createIdledApp(IdledAppSpec.named("dashboard").host("dashboard-" + suffix + ".example.test"));
		half.patchDeployment("{\"metadata\":{\"labels\":{\"" + IdledAppSpec.IDLED_LABEL + "\":null}}}");
		ns.createIdledApp(
				IdledAppSpec.named("preview").host("preview-" + suffix + ".example.test").unschedulable(true));
		AwakeWorkloads.deployment(cluster, ns, "web", "web-" + suffix + ".example.test", 2, Map.of());
		stopped(cluster, ns, "archive", "archive-" + suffix + ".example.test");
		AwakeWorkloads.statefulSet(cluster, ns, "db", "db-" + suffix + ".example.test", 1);
		Path tokens = Files.writeString(files.resolve("tokens.yaml"), """
				tokens:
				  - name: operator
				    token: "%s"
				    operations: [wake, idle, restart]
				    apps:
				      - namespace: %s
				""".formatted(TOKEN, ns.name()));

		try (RunningUnidler unidler = RunningUnidler.start(cluster, Map.of("unidler.access.tokens-file",
				tokens.toString(), "unidler.wake.unschedulable-grace", "2s", "unidler.idle.schedules", "false"));
				Chromium chromium = Chromium.start()) {
			ChromeDriver driver = chromium.driver();
			String console = unidler.adminUri() + "/console";

			// Not signed in: the form, nothing of the apps.
			driver.get(console);
			assertThat(driver.findElements(By.id("console"))).isEmpty();
			assertThat(driver.getPageSource()).doesNotContain(ns.name());
			driver.findElement(By.id("token")).sendKeys("not-the-token-0123456789");
			driver.findElement(By.id("sign-in-button")).click();
			assertThat(driver.findElement(By.id("sign-in-error")).getText()).contains("not known");
			driver.findElement(By.id("token")).sendKeys(TOKEN);
			driver.findElement(By.id("sign-in-button")).click();
			await(driver).until((d) -> !d.findElements(By.id("console")).isEmpty());
			assertThat(driver.findElement(By.id("who")).getText()).isEqualTo("operator");
			// Set once: still there at the end proves no reload happened.
			js(driver).executeScript("window.consoleTestMarker = 'kept';");

			await(driver).until((d) -> "idled".equals(state(d, ns, "Deployment", "reports")));
			await(driver).until((d) -> "drifted".equals(state(d, ns, "Deployment", "dashboard")));
			await(driver).until((d) -> "awake".equals(state(d, ns, "Deployment", "web")));
			await(driver).until((d) -> "stopped".equals(state(d, ns, "Deployment", "archive")));
			await(driver).until((d) -> "awake".equals(state(d, ns, "StatefulSet", "db")));
			assertThat(rowText(driver, ns, "Deployment", "dashboard"))
				.contains("Idled label stripped but 0 replicas: nothing serves it");
			assertThat(rowText(driver, ns, "Deployment", "reports")).contains(sleepy.host()).contains("0 / 0");

			// Keyboard only: from the search field to the first row's actions, into the
			// dialog, out with Escape, and back where it was.
			driver.findElement(By.id("search")).click();
			WebElement first = driver.findElement(By.cssSelector("#apps tr:not([hidden]) button.act"));
			int tabs = 0;
			while (!first.equals(driver.switchTo().activeElement()) && tabs++ < 10) {
				driver.switchTo().activeElement().sendKeys(Keys.TAB);
			}
			assertThat(driver.switchTo().activeElement()).isEqualTo(first);
			first.sendKeys(Keys.ENTER);
			await(driver).until((d) -> d.findElement(By.id("dialog")).isDisplayed());
			assertThat(driver.switchTo().activeElement().getTagName()).isEqualTo("button");
			driver.switchTo().activeElement().sendKeys(Keys.ESCAPE);
			await(driver).until((d) -> !d.findElement(By.id("dialog")).isDisplayed());
			assertThat(driver.switchTo().activeElement()).isEqualTo(first);

			// Refused: the app has not opted in to restarts; the dialog says so.
			openActions(driver, ns, "reports");
			choose(driver, "restart");
			assertThat(driver.findElement(By.id("dialog-refusal")).getText()).isEqualTo(
					"Restart is not possible: The app has not opted in to restart (unidler.dev/allow: restart).");
			assertThat(driver.findElement(By.id("dialog-confirm")).isDisplayed()).isFalse();
			driver.findElement(By.id("dialog-close")).click();

			// A wake that cannot succeed: its pods never get a node.
			openActions(driver, ns, "preview");
			choose(driver, "wake");
			driver.findElement(By.id("confirm")).click();
			await(driver).until((d) -> "failed".equals(state(d, ns, "Deployment", "preview")));
			assertThat(activity(driver, ns, "Deployment", "preview")).startsWith("Wake failed: ");

			// A restart streams its progress inline and ends done.
			openActions(driver, ns, "web");
			choose(driver, "restart");
			driver.findElement(By.id("reason")).sendKeys("new data");
			driver.findElement(By.id("confirm")).click();
			List<String> seen = new ArrayList<>();
			List<String> states = new ArrayList<>();
			new WebDriverWait(driver, WAIT, Duration.ofMillis(50)).until((d) -> {
				String line = activity(d, ns, "Deployment", "web");
				if (line != null && (seen.isEmpty() || !seen.get(seen.size() - 1).equals(line))) {
					seen.add(line);
				}
				states.add(state(d, ns, "Deployment", "web"));
				return line != null && line.startsWith("Restart done");
			});
			assertThat(states).as("the row's states while it restarts").contains("restarting");
			assertThat(seen).as("the restart's activity, line by line")
				.anyMatch((line) -> line.startsWith("Restart: "))
				.last()
				.asString()
				.startsWith("Restart done: ");
			await(driver).until((d) -> "awake".equals(state(d, ns, "Deployment", "web")));

			filterTo(driver, ns);
			driver.manage().window().setSize(new Dimension(1280, 1200));
			chromium.screenshot("console");
			driver.manage().window().setSize(new Dimension(1024, 900));
			Files.createDirectories(SCREENSHOT.getParent());
			Files.copy(Chromium.SCREENSHOTS.resolve("console.png"), SCREENSHOT,
					java.nio.file.StandardCopyOption.REPLACE_EXISTING);
			// At a phone's width the page itself never scrolls sideways: only the table
			// may.
			driver.manage().window().setSize(new Dimension(390, 844));
			Object overflow = js(driver).executeScript("var width = document.documentElement.clientWidth;"
					+ " var wide = Array.from(document.querySelectorAll('body *')).filter(function (e) {"
					+ "   return !e.closest('.table-wrap') && e.getBoundingClientRect().right > width + 1; });"
					+ " return wide.map(function (e) { return e.tagName + '#' + e.id + '.' + e.className; }).join(' ');");
			assertThat(overflow).as("elements wider than a phone's screen").isEqualTo("");
			driver.manage().window().setSize(new Dimension(1024, 900));
			chromium.screenshotAsPhone("console-phone-dark", "dark");
			chromium.screenshotAsPhone("console-phone-light", "light");

			// Someone opens an idled app in another tab: its waiting page wakes it.
			String consoleTab = driver.getWindowHandle();
			driver.switchTo().newWindow(WindowType.TAB);
			driver.get("http://" + visited.host() + ":" + unidler.port() + "/");
			String waitingTab = driver.getWindowHandle();
			driver.switchTo().window(consoleTab);
			await(driver).until((d) -> "awake".equals(state(d, ns, "Deployment", "notebook")));
			assertThat(js(driver).executeScript("return window.consoleTestMarker;")).isEqualTo("kept");
			assertThat(rowText(driver, ns, "Deployment", "notebook")).contains("3 / 3");

			// The console is never served for an app's host: that is the app's path.
			driver.switchTo().window(waitingTab);
			driver.get("http://" + visited.host() + ":" + unidler.port() + "/console");
			assertThat(driver.findElements(By.id("console"))).isEmpty();
			assertThat(driver.findElements(By.id("sign-in"))).isEmpty();
		}
	}

	/** A Deployment scaled to 0 on purpose: no idled mark, a plain Service. */
	private static void stopped(TestCluster cluster, TestNamespace ns, String name, String host) throws Exception {
		Map<String, String> labels = Map.of("app", name, "host", host);
		cluster.apps()
			.createNamespacedDeployment(ns.name(),
					new V1Deployment().metadata(new V1ObjectMeta().name(name).labels(labels))
						.spec(new V1DeploymentSpec().replicas(0)
							.selector(new V1LabelSelector().matchLabels(Map.of("app", name)))
							.template(new V1PodTemplateSpec().metadata(new V1ObjectMeta().labels(Map.of("app", name)))
								.spec(new V1PodSpec()
									.addContainersItem(new V1Container().name("app").image(TestNamespace.APP_IMAGE))))))
			.execute();
		cluster.core()
			.createNamespacedService(ns.name(),
					new V1Service().metadata(new V1ObjectMeta().name(name).labels(labels))
						.spec(new V1ServiceSpec().selector(Map.of("app", name))
							.addPortsItem(new V1ServicePort().port(80))))
			.execute();
	}

	private static WebDriverWait await(ChromeDriver driver) {
		return new WebDriverWait(driver, WAIT);
	}

	private static String id(TestNamespace ns, String kind, String name) {
		return "app-" + kind + "/" + ns.name() + "/" + name;
	}

	private static String state(org.openqa.selenium.WebDriver driver, TestNamespace ns, String kind, String name) {
		Object state = js(driver).executeScript(
				"var r = document.getElementById(arguments[0]); return r && r.getAttribute('data-state');",
				id(ns, kind, name));
		return (state != null) ? state.toString() : null;
	}

	private static String activity(org.openqa.selenium.WebDriver driver, TestNamespace ns, String kind, String name) {
		Object line = js(driver).executeScript(
				"var r = document.getElementById(arguments[0]);"
						+ " var a = r && r.querySelector('.activity'); return a && !a.hidden ? a.textContent : null;",
				id(ns, kind, name));
		return (line != null) ? line.toString() : null;
	}

	private static String rowText(ChromeDriver driver, TestNamespace ns, String kind, String name) {
		return driver.findElement(By.id(id(ns, kind, name))).getText();
	}

	private static void openActions(ChromeDriver driver, TestNamespace ns, String name) {
		driver.findElement(By.cssSelector("button[aria-label='Actions for " + ns.name() + "/" + name + "']")).click();
		await(driver).until((d) -> d.findElement(By.id("dialog")).isDisplayed());
	}

	private static void choose(ChromeDriver driver, String action) {
		driver.findElement(By.cssSelector("#dialog-choices button[data-action='" + action + "']")).click();
	}

	private static void filterTo(ChromeDriver driver, TestNamespace ns) {
		await(driver).until((
				d) -> !d.findElements(By.cssSelector("#namespace-filter option[value='" + ns.name() + "']")).isEmpty());
		new Select(driver.findElement(By.id("namespace-filter"))).selectByValue(ns.name());
		js(driver).executeScript("document.activeElement.blur();");
	}

}
