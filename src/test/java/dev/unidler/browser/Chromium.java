package dev.unidler.browser;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.UnexpectedAlertBehaviour;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import static org.assertj.core.api.Assertions.fail;

/**
 * A headless Chromium from the system's packages, driven by the matching chromedriver.
 * Nothing is downloaded: both are given by path (Selenium Manager is never asked), and
 * when either is missing the tests fail, saying what to install.
 */
final class Chromium implements AutoCloseable {

	static final Path SCREENSHOTS = Path.of("target/screenshots");

	private static final String INSTALL = "scripts/install-browser.sh, which make test runs";

	private final ChromeDriver driver;

	private final Path profile;

	private Chromium(ChromeDriver driver, Path profile) {
		this.driver = driver;
		this.profile = profile;
	}

	/**
	 * Fails the test when Chromium or chromedriver is missing. Their paths default to
	 * Debian's and can be set with {@code CHROMIUM} and {@code CHROMEDRIVER}.
	 */
	static void requireInstalled() {
		for (Path path : List.of(binary(), driverBinary())) {
			if (!Files.isExecutable(path)) {
				fail(path + " is missing: the browser tests need Chromium and its driver (" + INSTALL
						+ "), or set CHROMIUM and CHROMEDRIVER to their paths");
			}
		}
	}

	/**
	 * Starts a browser that resolves every {@code *.example.test} host to loopback.
	 */
	static Chromium start() {
		requireInstalled();
		Path profile;
		try {
			profile = Files.createTempDirectory("chromium-profile");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		ChromeOptions options = new ChromeOptions();
		options.setBinary(binary().toFile());
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
				"--no-default-browser-check", "--no-proxy-server", "--user-data-dir=" + profile,
				"--host-resolver-rules=MAP *.example.test 127.0.0.1", "--window-size=1024,900");
		// An alert must stay open for the test to see it, not be dismissed in passing.
		options.setUnhandledPromptBehaviour(UnexpectedAlertBehaviour.IGNORE);
		ChromeDriverService service = new ChromeDriverService.Builder()
			.usingDriverExecutable(new File(driverBinary().toString()))
			.usingAnyFreePort()
			.build();
		ChromeDriver driver = new ChromeDriver(service, options);
		driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
		return new Chromium(driver, profile);
	}

	ChromeDriver driver() {
		return this.driver;
	}

	/** Saves what the browser shows as {@code target/screenshots/<name>.png}. */
	Path screenshot(String name) {
		try {
			Files.createDirectories(SCREENSHOTS);
			Path file = SCREENSHOTS.resolve(name + ".png");
			Files.write(file, this.driver.getScreenshotAs(OutputType.BYTES));
			return file;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Saves the page as a phone shows it, in the given colour scheme. */
	void screenshotAsPhone(String name, String colorScheme) {
		Dimension size = this.driver.manage().window().getSize();
		try {
			this.driver.manage().window().setSize(new Dimension(390, 844));
			emulateColorScheme(colorScheme);
			screenshot(name);
		}
		finally {
			emulateColorScheme("light");
			this.driver.manage().window().setSize(size);
		}
	}

	private void emulateColorScheme(String scheme) {
		this.driver.executeCdpCommand("Emulation.setEmulatedMedia",
				Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", scheme))));
	}

	@Override
	public void close() {
		try {
			this.driver.quit();
		}
		finally {
			deleteQuietly(this.profile);
		}
	}

	private static void deleteQuietly(Path dir) {
		try (Stream<Path> files = Files.walk(dir)) {
			files.sorted(Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
		}
		catch (IOException ex) {
			// A leftover temporary profile is harmless.
		}
	}

	private static Path binary() {
		return Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
	}

	private static Path driverBinary() {
		return Path.of(System.getenv().getOrDefault("CHROMEDRIVER", "/usr/bin/chromedriver"));
	}

}
