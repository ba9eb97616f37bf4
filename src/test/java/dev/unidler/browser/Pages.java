package dev.unidler.browser;

import java.time.Duration;

import dev.unidler.cluster.IdledApp;
import dev.unidler.cluster.TestCluster;
import dev.unidler.cluster.TestNamespace;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.util.PatchUtils;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * What the browser tests read off the waiting page, and do to the apps behind it.
 */
final class Pages {

	private Pages() {
	}

	static String stepState(WebDriver driver, String step) {
		return driver.findElement(By.cssSelector("[data-step='" + step + "']")).getDomAttribute("data-state");
	}

	/** Whether the browser shows the woken app's own page (the ingress stand-in's). */
	static boolean showsApp(WebDriver driver) {
		return !driver.findElements(By.id("app")).isEmpty();
	}

	/** An attribute of the page's root, read in one go while the page may reload. */
	static String rootAttribute(WebDriver driver, String name) {
		Object value = js(driver)
			.executeScript("var w = document.getElementById('wake'); return w && w.getAttribute(arguments[0]);", name);
		return (value != null) ? value.toString() : null;
	}

	static JavascriptExecutor js(WebDriver driver) {
		return (JavascriptExecutor) driver;
	}

	static WebDriverWait await(WebDriver driver) {
		return new WebDriverWait(driver, Duration.ofSeconds(30));
	}

	/** The pods may schedule again; a new ReplicaSet rolls out. */
	static void removeNodeSelector(TestCluster cluster, IdledApp app) throws ApiException {
		V1Patch patch = new V1Patch("{\"spec\":{\"template\":{\"spec\":{\"nodeSelector\":{\""
				+ TestNamespace.NO_SUCH_NODE_LABEL + "\":null}}}}}");
		PatchUtils.patch(V1Deployment.class,
				() -> cluster.apps().patchNamespacedDeployment(app.name(), app.namespace(), patch).buildCall(null),
				V1Patch.PATCH_FORMAT_STRATEGIC_MERGE_PATCH, cluster.apiClient());
	}

	/** The random end of the namespace's name keeps hosts unique across the cluster. */
	static String suffix(TestNamespace namespace) {
		return namespace.name().substring(namespace.name().lastIndexOf('-') + 1);
	}

}
