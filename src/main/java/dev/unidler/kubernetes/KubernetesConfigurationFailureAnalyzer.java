package dev.unidler.kubernetes;

import java.util.stream.Collectors;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Says what was tried when the unidler cannot find a cluster, instead of a stack trace.
 */
final class KubernetesConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<KubernetesConfigurationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, KubernetesConfigurationException cause) {
		String tried = cause.tried().stream().map((attempt) -> "    - " + attempt).collect(Collectors.joining("\n"));
		return new FailureAnalysis("The unidler found no Kubernetes cluster to talk to. It tried:\n" + tried,
				"Run it inside a cluster with a ServiceAccount, set KUBECONFIG to a kubeconfig file, or create ~/.kube/config. "
						+ "For a local cluster: make cluster-up && KUBECONFIG=.cluster/kubeconfig make run",
				cause);
	}

}
