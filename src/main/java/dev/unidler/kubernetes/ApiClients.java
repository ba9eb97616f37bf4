package dev.unidler.kubernetes;

import java.io.File;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.auth.ApiKeyAuth;
import io.kubernetes.client.openapi.auth.Authentication;
import io.kubernetes.client.openapi.auth.HttpBasicAuth;
import io.kubernetes.client.openapi.auth.HttpBearerAuth;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.Config;
import io.kubernetes.client.util.KubeConfig;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the one {@link ApiClient}: an explicit kubeconfig if configured, else
 * in-cluster, else {@code $KUBECONFIG}, else {@code ~/.kube/config}.
 */
final class ApiClients {

	private static final Logger logger = LoggerFactory.getLogger(ApiClients.class);

	/** Longer than the server-side timeout of a watch, so idle watches end cleanly. */
	static final Duration READ_TIMEOUT = Duration.ofSeconds(45);

	private ApiClients() {
	}

	static ApiClient create(@Nullable String explicitKubeconfig, Map<String, String> env, Path home) {
		List<String> tried = new ArrayList<>();
		if (explicitKubeconfig != null && !explicitKubeconfig.isBlank()) {
			return fromKubeconfig(Path.of(explicitKubeconfig), "unidler.kubeconfig", tried);
		}
		String serviceHost = env.get(Config.ENV_SERVICE_HOST);
		Path token = Path.of(Config.SERVICEACCOUNT_TOKEN_PATH);
		if (serviceHost != null && Files.isReadable(token)) {
			try {
				logger.info("Using the in-cluster configuration");
				return ClientBuilder.cluster().setReadTimeout(READ_TIMEOUT).build();
			}
			catch (IOException ex) {
				tried.add("in-cluster: " + ex.getMessage());
			}
		}
		else {
			tried.add("in-cluster: " + ((serviceHost == null) ? Config.ENV_SERVICE_HOST + " is not set"
					: Config.SERVICEACCOUNT_TOKEN_PATH + " is not readable"));
		}
		String kubeconfigEnv = env.get(Config.ENV_KUBECONFIG);
		if (kubeconfigEnv != null && !kubeconfigEnv.isBlank()) {
			// Like kubectl, KUBECONFIG may list several files; the first that exists
			// wins.
			for (String file : kubeconfigEnv.split(File.pathSeparator)) {
				if (!file.isBlank() && Files.isRegularFile(Path.of(file))) {
					return fromKubeconfig(Path.of(file), "$KUBECONFIG", tried);
				}
			}
			tried.add("$KUBECONFIG=" + kubeconfigEnv + ": no such file");
		}
		else {
			tried.add("$KUBECONFIG: not set");
		}
		Path userConfig = home.resolve(".kube").resolve("config");
		if (Files.isRegularFile(userConfig)) {
			return fromKubeconfig(userConfig, "~/.kube/config", tried);
		}
		tried.add(userConfig + ": no such file");
		throw new KubernetesConfigurationException(tried);
	}

	private static ApiClient fromKubeconfig(Path file, String source, List<String> tried) {
		try (Reader reader = Files.newBufferedReader(file)) {
			KubeConfig config = KubeConfig.loadKubeConfig(reader);
			// Relative certificate paths in the file are relative to the file itself.
			config.setFile(file.toAbsolutePath().toFile());
			ApiClient client = ClientBuilder.kubeconfig(config).setReadTimeout(READ_TIMEOUT).build();
			logger.info("Using the kubeconfig {} from {} (context {})", file, source, config.getCurrentContext());
			return client;
		}
		catch (IOException | RuntimeException ex) {
			tried.add(source + " " + file + ": " + ex.getMessage());
			throw new KubernetesConfigurationException(tried);
		}
	}

	/**
	 * The same connection and credentials without a read timeout, as informers need it:
	 * their watches stay open for minutes, and a read timeout would cut them. TLS and
	 * interceptors (token files, exec plugins) live in the HTTP client and come along; a
	 * token or password set on the API client is copied.
	 */
	static ApiClient forWatching(ApiClient client) {
		ApiClient watching = new ApiClient(client.getHttpClient().newBuilder().readTimeout(Duration.ZERO).build());
		watching.setBasePath(client.getBasePath());
		client.getAuthentications().forEach((name, auth) -> {
			Authentication target = watching.getAuthentication(name);
			if (auth instanceof ApiKeyAuth key && target instanceof ApiKeyAuth copy) {
				copy.setApiKey(key.getApiKey());
				copy.setApiKeyPrefix(key.getApiKeyPrefix());
			}
			else if (auth instanceof HttpBasicAuth basic && target instanceof HttpBasicAuth copy) {
				copy.setUsername(basic.getUsername());
				copy.setPassword(basic.getPassword());
			}
			else if (auth instanceof HttpBearerAuth bearer && target instanceof HttpBearerAuth copy) {
				copy.setBearerToken(bearer.getBearerToken());
			}
		});
		return watching;
	}

}
