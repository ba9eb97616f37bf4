package dev.unidler.kubernetes;

import dev.unidler.app.ServiceStates;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.unidler.app.ServiceSpec;
import dev.unidler.app.ServiceState;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The exact bodies sent; what Kubernetes does with them is proven against the real
 * control plane.
 */
class StrategicMergePatchesTests {

	@Test
	void removingMetadataSendsExplicitNulls() {
		assertThat(StrategicMergePatches.removeMetadata(Set.of("mojanalytics.xyz/idled"),
				Set.of("mojanalytics.xyz/idled-at", "mojanalytics.xyz/replicas-when-unidled")))
			.isEqualTo("{\"metadata\":{\"labels\":{\"mojanalytics.xyz/idled\":null},\"annotations\":"
					+ "{\"mojanalytics.xyz/idled-at\":null,\"mojanalytics.xyz/replicas-when-unidled\":null}}}");
	}

	@Test
	void keysWithQuotesAndSlashesStayKeys() {
		assertThat(StrategicMergePatches.removeMetadata(Set.of("a\"b/c"), Set.of()))
			.isEqualTo("{\"metadata\":{\"labels\":{\"a\\\"b/c\":null}}}");
	}

	@Test
	void restoringAServiceDeletesWhatTheSpecLacks() {
		ServiceState idled = ServiceStates.of("ns", "app", "ExternalName", "unidler.unidler.svc.cluster.local",
				Map.of("old", "x"), List.of(80, 8443), Map.of(), Map.of());
		ServiceSpec spec = new ServiceSpec("ClusterIP", Map.of("app", "app"),
				List.of(new ServiceSpec.Port("http", 80, "3000", "TCP")));
		assertThat(StrategicMergePatches.restoreService(idled, spec, Set.of("unidler.dev/service-spec"))).isEqualTo(
				"{\"metadata\":{\"annotations\":{\"unidler.dev/service-spec\":null}},\"spec\":{\"type\":\"ClusterIP\","
						+ "\"externalName\":null,\"selector\":{\"old\":null,\"app\":\"app\"},\"ports\":[{\"name\":\"http\","
						+ "\"port\":80,\"protocol\":\"TCP\",\"targetPort\":3000},{\"port\":8443,\"$patch\":\"delete\"}]}}");
	}

	@Test
	void aNamedTargetPortStaysAName() {
		ServiceState idled = ServiceStates.of("ns", "app", "ExternalName", "x", Map.of(), List.of(), Map.of(),
				Map.of());
		ServiceSpec spec = new ServiceSpec("ClusterIP", Map.of("app", "app"),
				List.of(new ServiceSpec.Port(null, 80, "http", "TCP")));
		assertThat(StrategicMergePatches.restoreService(idled, spec, Set.of())).contains("\"targetPort\":\"http\"");
	}

}
