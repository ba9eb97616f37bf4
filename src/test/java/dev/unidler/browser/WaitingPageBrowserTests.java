package dev.unidler.browser;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

import dev.unidler.cluster.IdledApp;
import dev.unidler.cluster.IdledAppSpec;
import dev.unidler.cluster.RealCluster;
import dev.unidler.cluster.TestCluster;
import dev.unidler.cluster.TestNamespace;
import dev.unidler.demo.IngressStandIn;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import static dev.unidler.browser.Pages.await;
import static dev.unidler.browser.Pages.js;
import static dev.unidler.browser.Pages.removeNodeSelector;
import static dev.unidler.browser.Pages.stepState;
import static dev.unidler.browser.Pages.suffix;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The waiting page in a real browser, behind an ingress stand-in, against a real cluster:
 * a deep link comes back to itself once the app is awake, a failure can be retried in
 * place, and configured or requested values never become markup.
 */
@RealCluster
class WaitingPageBrowserTests {

	private static final Duration WAKE_TIMEOUT = Duration.ofSeconds(60);

	private static final Map<String, String> BRANDING = Map.of("unidler.page.product-name", "Example Platform",
			"unidler.page.support-url", "https://support.example.test/unidler");

	@BeforeAll
	static void browserInstalled() {
		Chromium.requireInstalled();
	}

	@Test
	void deepLinkWakesTheAppAndReturnsToTheSameUrl(TestCluster cluster, TestNamespace namespace) throws Exception {
		String host = "deep-" + suffix(namespace) + ".example.test";
		// The pods cannot be scheduled until the test says so: that holds the wake at
		// "Wait for the app to start" long enough to look at the page.
		IdledApp app = namespace.createIdledApp(IdledAppSpec.named("deep").host(host).unschedulable(true));
		try (RunningUnidler unidler = RunningUnidler.start(cluster,
				with(BRANDING, "unidler.wake.unschedulable-grace", "5m"));
				IngressStandIn standIn = IngressStandIn.start(0, unidler.uri(), cluster.apiClient());
				Chromium chromium = Chromium.start()) {
			ChromeDriver driver = chromium.driver();
			String url = "http://" + host + ":" + standIn.port() + "/some/path?x=1&y=%3Cb%3E#frag";
			driver.get(url);

			WebElement heading = driver.findElement(By.tagName("h1"));
			assertThat(heading.getText()).contains("Starting").contains(host);
			assertThat(driver.getTitle()).isEqualTo("Starting " + host + " · Example Platform");
			await(driver).until((d) -> "running".equals(stepState(d, "await-available")));
			assertThat(stepState(driver, "locate")).isEqualTo("done");
			assertThat(stepState(driver, "restore-replicas")).isEqualTo("done");
			assertThat(stepState(driver, "mark-awake")).isEqualTo("waiting");
			await(driver).until((d) -> "0 of 3".equals(d.findElement(By.id("replicas-count")).getText()));
			assertThat(driver.findElement(By.id("status")).getText()).isEqualTo("0 of 3 ready");
			assertThat(driver.findElement(By.id("elapsed")).getText()).matches("\\d+ s");
			chromium.screenshot("waiting");
			chromium.screenshotAsPhone("waiting-phone", "light");
			chromium.screenshotAsPhone("waiting-phone-dark", "dark");

			// A reload during the wake follows the same wake instead of starting another.
			String wake = driver.findElement(By.id("wake")).getDomAttribute("data-wake");
			assertThat(wake).isNotBlank();
			driver.navigate().refresh();
			await(driver).until((d) -> "running".equals(stepState(d, "await-available")));
			assertThat(driver.findElement(By.id("wake")).getDomAttribute("data-wake")).isEqualTo(wake);
			assertThat(driver.getCurrentUrl()).isEqualTo(url);

			// Let the pods schedule: the wake finishes and the browser comes back by
			// itself.
			removeNodeSelector(cluster, app);
			new WebDriverWait(driver, WAKE_TIMEOUT).until((d) -> !d.findElements(By.id("app")).isEmpty());
			assertThat(driver.getCurrentUrl()).isEqualTo(url);
			assertThat(driver.findElement(By.id("host")).getText()).isEqualTo(host);
			assertThat(driver.findElement(By.id("path")).getText()).isEqualTo("/some/path");
			assertThat(driver.findElement(By.id("query")).getText()).isEqualTo("x=1&y=%3Cb%3E");
			assertThat(app.service().getSpec().getType()).isEqualTo("ClusterIP");
			chromium.screenshot("returned");

			// Asked directly while its address still leads to the unidler (as while
			// routes
			// settle), the page says ready and retries with backoff, not in a tight loop.
			driver.get("http://" + host + ":" + unidler.port() + "/some/path?x=1");
			await(driver).until((d) -> returnAttempt(d) >= 2);
			// The page reloads itself while backing off: read the status of whichever
			// load
			// is current.
			await(driver).ignoring(StaleElementReferenceException.class)
				.until((d) -> d.findElement(By.id("status")).getText().startsWith("The app is ready"));
			chromium.screenshot("ready");
			Thread.sleep(3_000);
			// Without backoff this would be dozens; with it (0, 0.5, 1, 2 s) at most 5.
			assertThat(returnAttempt(driver)).isBetween(2, 5);
		}
	}

	@Test
	void failureIsExplainedAndTryAgainFollowsANewWakeWithoutReloading(TestCluster cluster, TestNamespace namespace)
			throws Exception {
		String host = "fail-" + suffix(namespace) + ".example.test";
		IdledApp app = namespace.createIdledApp(IdledAppSpec.named("fail").host(host).unschedulable(true));
		try (RunningUnidler unidler = RunningUnidler.start(cluster,
				with(BRANDING, "unidler.wake.unschedulable-grace", "2s"));
				IngressStandIn standIn = IngressStandIn.start(0, unidler.uri(), cluster.apiClient());
				Chromium chromium = Chromium.start()) {
			ChromeDriver driver = chromium.driver();
			String url = "http://" + host + ":" + standIn.port() + "/reports?month=7#summary";
			driver.get(url);

			WebElement failure = awaitFailure(driver);
			// A plain sentence first; the scheduler's words are kept for the platform
			// team.
			assertThat(failure.findElement(By.id("failure-message")).getText())
				.startsWith("The app was asked to start, but Kubernetes cannot run it");
			assertThat(failure.findElement(By.id("failure-detail")).getDomProperty("textContent"))
				.startsWith("The app cannot start: Unschedulable.");
			assertThat(driver.findElement(By.id("lead")).isDisplayed()).isFalse();
			assertThat(stepState(driver, "await-available")).isEqualTo("failed");
			assertThat(stepState(driver, "locate")).isEqualTo("done");
			assertThat(driver.findElement(By.tagName("h1")).getText()).contains("Could not start").contains(host);
			assertThat(driver.findElement(By.id("support")).getDomAttribute("href"))
				.isEqualTo("https://support.example.test/unidler");
			// Focus moves to the button, so the keyboard can act on it at once.
			assertThat(driver.switchTo().activeElement().getDomAttribute("id")).isEqualTo("retry");
			chromium.screenshot("failed");

			// Try again, by keyboard, while the cause remains: a new wake is followed on
			// the
			// same page (no reload) and fails again.
			String firstWake = driver.findElement(By.id("wake")).getDomAttribute("data-wake");
			js(driver).executeScript("window.notReloaded = true;");
			driver.switchTo().activeElement().sendKeys(Keys.ENTER);
			await(driver)
				.until((d) -> !Objects.equals(firstWake, d.findElement(By.id("wake")).getDomAttribute("data-wake")));
			assertThat(js(driver).executeScript("return window.notReloaded === true;")).isEqualTo(true);
			awaitFailure(driver);
			assertThat(js(driver).executeScript("return window.notReloaded === true;")).isEqualTo(true);

			// Fix the cause, try again: the app wakes and the browser returns to the URL.
			removeNodeSelector(cluster, app);
			driver.findElement(By.id("retry")).click();
			new WebDriverWait(driver, WAKE_TIMEOUT).until((d) -> !d.findElements(By.id("app")).isEmpty());
			assertThat(driver.getCurrentUrl()).isEqualTo(url);
			assertThat(driver.findElement(By.id("path")).getText()).isEqualTo("/reports");
			assertThat(driver.findElement(By.id("query")).getText()).isEqualTo("month=7");
		}
	}

	@Test
	void configuredAndRequestedValuesAreNeverMarkup(TestCluster cluster, TestNamespace namespace) throws Exception {
		String productName = "<img src=x onerror=alert(1)>";
		String supportUrl = "https://support.example.test/?q=\"><script>alert(2)</script>";
		String host = "nobody-" + suffix(namespace) + ".example.test";
		try (RunningUnidler unidler = RunningUnidler.start(cluster,
				Map.of("unidler.page.product-name", productName, "unidler.page.support-url", supportUrl));
				IngressStandIn standIn = IngressStandIn.start(0, unidler.uri(), cluster.apiClient());
				Chromium chromium = Chromium.start()) {
			ChromeDriver driver = chromium.driver();
			// Straight to the unidler: no app carries this host, so the page is a failure
			// page that shows every configured value, the support link included.
			driver.get("http://" + host + ":" + unidler.port() + "/");
			WebElement failure = awaitFailure(driver);
			assertThat(failure.getText()).contains("No app is registered for " + host);
			assertThat(driver.findElement(By.id("product")).getText()).isEqualTo(productName);
			assertThat(driver.getTitle()).isEqualTo(host + " could not start · " + productName);
			assertThat(stepState(driver, "locate")).isEqualTo("failed");
			assertThat(driver.findElements(By.tagName("img"))).isEmpty();
			assertThat(driver.findElements(By.tagName("script"))).hasSize(1);
			assertThat(driver.findElement(By.id("support")).getDomAttribute("href")).isEqualTo(supportUrl);
			assertThatExceptionOfType(NoAlertPresentException.class).isThrownBy(() -> driver.switchTo().alert());
			chromium.screenshot("failed-unknown-app");

			// Trying again renders the product name through JavaScript too.
			// The unidler remembers the unknown host for a moment, so the new stream may
			// fail
			// at once: mark the title first to see the script write it again.
			driver.executeScript("document.title = 'before retry'");
			driver.findElement(By.id("retry")).click();
			await(driver).until((d) -> d.getTitle().endsWith(" could not start · " + productName));
			awaitFailure(driver);
			assertThat(driver.getTitle()).isEqualTo(host + " could not start · " + productName);
			assertThat(driver.findElements(By.tagName("img"))).isEmpty();
			assertThatExceptionOfType(NoAlertPresentException.class).isThrownBy(() -> driver.switchTo().alert());
		}

		// A Host that is not a DNS name is refused, and never echoed.
		String hostile = "<script>alert(3)</script>";
		try (RunningUnidler unidler = RunningUnidler.start(cluster, Map.of());
				IngressStandIn standIn = IngressStandIn.start(0, unidler.uri(), cluster.apiClient())) {
			for (int port : new int[] { unidler.port(), standIn.port() }) {
				String response = rawGet(port, hostile);
				assertThat(response).startsWith("HTTP/1.1 400 ").doesNotContain("<script").doesNotContain("alert(3)");
			}
		}
	}

	private static WebElement awaitFailure(WebDriver driver) {
		WebElement failure = driver.findElement(By.id("failure"));
		await(driver).until((d) -> failure.isDisplayed());
		return failure;
	}

	private static int returnAttempt(WebDriver driver) {
		// The page reloads under the test: read the attribute in one go.
		String attempt = Pages.rootAttribute(driver, "data-return-attempt");
		return (attempt != null) ? Integer.parseInt(attempt) : 0;
	}

	/** A GET with any {@code Host} at all, which HTTP client libraries would refuse. */
	private static String rawGet(int port, String host) throws IOException {
		try (Socket socket = new Socket("127.0.0.1", port)) {
			socket.setSoTimeout(10_000);
			OutputStream out = socket.getOutputStream();
			out.write(
					("GET /some/path HTTP/1.1\r\nHost: " + host + "\r\nAccept: text/html\r\nConnection: close\r\n\r\n")
						.getBytes(StandardCharsets.ISO_8859_1));
			out.flush();
			InputStream in = socket.getInputStream();
			ByteArrayOutputStream response = new ByteArrayOutputStream();
			in.transferTo(response);
			return response.toString(StandardCharsets.ISO_8859_1);
		}
	}

	private static Map<String, String> with(Map<String, String> base, String key, String value) {
		Map<String, String> all = new java.util.HashMap<>(base);
		all.put(key, value);
		return all;
	}

}
