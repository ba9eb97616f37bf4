package dev.unidler.browser;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.unidler.UnidlerApplication;
import dev.unidler.admin.AdminServer;
import dev.unidler.cluster.TestCluster;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The whole unidler application, started in this JVM on a free loopback port against the
 * test cluster.
 */
final class RunningUnidler implements AutoCloseable {

	private final ConfigurableApplicationContext context;

	private final int port;

	private RunningUnidler(ConfigurableApplicationContext context) {
		this.context = context;
		this.port = Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port"));
	}

	/**
	 * Starts the unidler.
	 * @param cluster the cluster it wakes apps in
	 * @param properties settings on top of the test defaults
	 * @return the running unidler
	 */
	static RunningUnidler start(TestCluster cluster, Map<String, String> properties) {
		Map<String, Object> all = new LinkedHashMap<>();
		all.put("server.port", "0");
		all.put("server.address", "127.0.0.1");
		all.put("unidler.kubeconfig", cluster.kubeconfig().toString());
		all.put("unidler.wake.recheck", "1s");
		all.put("spring.lifecycle.timeout-per-shutdown-phase", "5s");
		all.putAll(properties);
		// Command-line arguments, so that they win over application.yaml (its server.port
		// and shutdown phase), as an operator's would.
		String[] args = all.entrySet()
			.stream()
			.map((entry) -> "--" + entry.getKey() + "=" + entry.getValue())
			.toArray(String[]::new);
		return new RunningUnidler(new SpringApplicationBuilder(UnidlerApplication.class).run(args));
	}

	int port() {
		return this.port;
	}

	/** The admin surface: the console and the API. */
	URI adminUri() {
		return URI.create("http://127.0.0.1:" + this.context.getBean(AdminServer.class).port());
	}

	URI uri() {
		return URI.create("http://127.0.0.1:" + this.port);
	}

	@Override
	public void close() {
		this.context.close();
	}

}
