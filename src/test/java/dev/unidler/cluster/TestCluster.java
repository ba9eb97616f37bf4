package dev.unidler.cluster;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.apis.DiscoveryV1Api;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;

/**
 * The real cluster of this test run, as an administrator sees it.
 *
 * @param apiClient an admin client built from {@link #kubeconfig()} (read timeout 60 s)
 * @param kubeconfig the admin kubeconfig (self-contained: certificates are inline)
 * @param auditLog the API server's audit log (Metadata level, writes only), or
 * {@code null} when unknown (a cluster given by {@code UNIDLER_TEST_KUBECONFIG} without
 * an {@code audit.log} next to its kubeconfig)
 */
public record TestCluster(ApiClient apiClient, Path kubeconfig, Path auditLog) {

	static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

	/**
	 * Builds an admin client from a kubeconfig file.
	 * @param kubeconfig the kubeconfig
	 * @param readTimeout the client's read timeout
	 * @return a new client; never installed as the default client
	 * @throws IOException if the file cannot be read or used
	 */
	public static ApiClient client(Path kubeconfig, Duration readTimeout) throws IOException {
		try (Reader reader = Files.newBufferedReader(kubeconfig, StandardCharsets.UTF_8)) {
			return ClientBuilder.kubeconfig(KubeConfig.loadKubeConfig(reader)).setReadTimeout(readTimeout).build();
		}
	}

	static TestCluster of(Path kubeconfig, Path auditLog) throws IOException {
		return new TestCluster(client(kubeconfig, READ_TIMEOUT), kubeconfig, auditLog);
	}

	public CoreV1Api core() {
		return new CoreV1Api(this.apiClient);
	}

	public AppsV1Api apps() {
		return new AppsV1Api(this.apiClient);
	}

	public DiscoveryV1Api discovery() {
		return new DiscoveryV1Api(this.apiClient);
	}

	/**
	 * The writes the audit log recorded so far in a namespace.
	 * @param namespace the namespace
	 * @return the writes, in order
	 * @throws IllegalStateException if this cluster's audit log is unknown
	 */
	public List<AuditEvent> auditWrites(String namespace) {
		if (this.auditLog == null) {
			throw new IllegalStateException(
					"The audit log of this cluster is unknown (put an audit.log next to " + this.kubeconfig + ")");
		}
		return AuditEvent.read(this.auditLog).stream().filter((e) -> namespace.equals(e.namespace())).toList();
	}

}
