package dev.unidler.deploy;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How {@code deploy/} has Prometheus scrape the unidler: on the admin port, at
 * {@code /metrics}, never through the port or the Service idled apps point at.
 */
class MetricsManifestsTests {

	@Test
	void theScrapeAnnotationsNameTheAdminPortAndPath() throws IOException {
		Map<String, Object> template = map(map(one("base/deployment.yaml").get("spec")).get("template"));
		Map<String, Object> annotations = map(map(template.get("metadata")).get("annotations"));
		Map<String, Object> container = map(list(map(template.get("spec")).get("containers")).get(0));
		Map<String, Object> ports = new HashMap<>();
		list(container.get("ports"))
			.forEach((port) -> ports.put((String) map(port).get("name"), map(port).get("containerPort")));

		assertThat(annotations).containsEntry("prometheus.io/scrape", "true")
			.containsEntry("prometheus.io/path", "/metrics");
		assertThat(annotations.get("prometheus.io/port")).isEqualTo(ports.get("admin").toString())
			.isNotEqualTo(ports.get("http").toString());
	}

	@Test
	void theServiceMonitorScrapesThePortOnlyTheAdminServiceHas() throws IOException {
		Map<String, Object> monitor = one("monitoring/servicemonitor.yaml");
		Map<String, Object> endpoint = map(list(map(monitor.get("spec")).get("endpoints")).get(0));

		assertThat(endpoint).containsEntry("port", "admin").containsEntry("path", "/metrics");
		assertThat(portNames("base/service-admin.yaml")).contains("admin");
		assertThat(portNames("base/service.yaml")).doesNotContain("admin");
	}

	private static List<Object> portNames(String file) throws IOException {
		List<Object> names = new ArrayList<>();
		list(map(one(file).get("spec")).get("ports")).forEach((port) -> names.add(map(port).get("name")));
		return names;
	}

	private static Map<String, Object> one(String file) throws IOException {
		try (Reader reader = Files.newBufferedReader(Path.of("deploy").resolve(file))) {
			return new Yaml().load(reader);
		}
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(Object value) {
		assertThat(value).isInstanceOf(Map.class);
		return (Map<String, Object>) value;
	}

	@SuppressWarnings("unchecked")
	private static List<Object> list(Object value) {
		assertThat(value).isInstanceOf(List.class);
		return (List<Object>) value;
	}

}
