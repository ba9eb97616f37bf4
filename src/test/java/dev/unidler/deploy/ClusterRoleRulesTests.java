package dev.unidler.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.kubernetes.client.openapi.models.V1ClusterRole;
import io.kubernetes.client.openapi.models.V1PolicyRule;
import io.kubernetes.client.util.Yaml;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ClusterRole of {@code deploy/} grants exactly the calls the unidler makes, so that
 * widening it is a deliberate change of this test. {@link DeployManifestsTests} proves on
 * the real control plane that these are enough.
 */
class ClusterRoleRulesTests {

	@Test
	void theClusterRoleGrantsExactlyTheCallsTheUnidlerMakes() throws Exception {
		Path rbac = Path.of("deploy/base/rbac.yaml");
		assertThat(rbac).as("run the tests from the repository root (Maven does)").exists();
		V1ClusterRole role = Yaml.loadAll(Files.readString(rbac))
			.stream()
			.filter(V1ClusterRole.class::isInstance)
			.map(V1ClusterRole.class::cast)
			.findFirst()
			.orElseThrow();

		Map<String, List<String>> granted = new TreeMap<>();
		for (V1PolicyRule rule : role.getRules()) {
			assertThat(rule.getResourceNames()).as("no rule is limited to names").isNullOrEmpty();
			assertThat(rule.getNonResourceURLs()).isNullOrEmpty();
			for (String group : rule.getApiGroups()) {
				for (String resource : rule.getResources()) {
					granted.put(group + "/" + resource, rule.getVerbs());
				}
			}
		}

		assertThat(granted).containsExactlyInAnyOrderEntriesOf(Map.of(
				// find, read, restore replicas and metadata, await availability
				"apps/deployments", List.of("get", "list", "watch", "patch"),
				// restart: find, read, change the pod template, follow the rollout
				"apps/statefulsets", List.of("get", "list", "watch", "patch"),
				// the lookup cache, read, repoint and idle
				"/services", List.of("get", "list", "watch", "patch"),
				// report pods that cannot start
				"/pods", List.of("list"),
				// wait until the restored Service routes
				"discovery.k8s.io/endpointslices", List.of("list", "watch"),
				// which namespace owns a host several claim
				"networking.k8s.io/ingresses", List.of("list"),
				// an Event per operation on the workload, and the count of a series
				"events.k8s.io/events", List.of("create", "patch")));
	}

}
