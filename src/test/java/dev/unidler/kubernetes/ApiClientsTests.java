package dev.unidler.kubernetes;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.diagnostics.FailureAnalysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ApiClientsTests {

	@Test
	void withNoConfigurationAnywhereItSaysWhatItTried(@TempDir Path home) {
		assertThatExceptionOfType(KubernetesConfigurationException.class)
			.isThrownBy(() -> ApiClients.create(null, Map.of(), home))
			.satisfies((ex) -> {
				assertThat(ex.tried()).hasSize(3);
				assertThat(ex.tried().get(0)).contains("in-cluster").contains("KUBERNETES_SERVICE_HOST");
				assertThat(ex.tried().get(1)).contains("$KUBECONFIG: not set");
				assertThat(ex.tried().get(2)).contains(".kube");
				FailureAnalysis analysis = new KubernetesConfigurationFailureAnalyzer().analyze(ex);
				assertThat(analysis.getDescription()).contains("in-cluster").contains("$KUBECONFIG");
				assertThat(analysis.getAction()).contains("KUBECONFIG");
			});
	}

	@Test
	void aKubeconfigThatDoesNotExistIsNamed(@TempDir Path home) {
		assertThatExceptionOfType(KubernetesConfigurationException.class)
			.isThrownBy(() -> ApiClients.create(null, Map.of("KUBECONFIG", "/nonexistent/kubeconfig"), home))
			.satisfies((ex) -> assertThat(ex.tried()).anyMatch((tried) -> tried.contains("/nonexistent/kubeconfig")));
	}

	@Test
	void aBrokenKubeconfigIsReported(@TempDir Path home) throws Exception {
		Path broken = Files.writeString(home.resolve("config"), "this: [is not a kubeconfig");
		assertThatExceptionOfType(KubernetesConfigurationException.class)
			.isThrownBy(() -> ApiClients.create(null, Map.of("KUBECONFIG", broken.toString()), home))
			.satisfies((ex) -> assertThat(ex.tried()).anyMatch((tried) -> tried.startsWith("$KUBECONFIG " + broken)));
	}

}
