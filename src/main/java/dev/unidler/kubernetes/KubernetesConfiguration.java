package dev.unidler.kubernetes;

import java.nio.file.Path;

import dev.unidler.UnidlerProperties;
import dev.unidler.wake.Cluster;
import io.kubernetes.client.openapi.ApiClient;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Kubernetes client and the scheduler its blocking calls run on.
 */
@Configuration(proxyBeanMethods = false)
class KubernetesConfiguration {

	/** Enough for the watches of many concurrent wakes plus their reads. */
	private static final int MAX_BLOCKING_THREADS = 64;

	@Bean
	@ConditionalOnMissingBean
	ApiClient kubernetesApiClient(UnidlerProperties properties) {
		return ApiClients.create(properties.kubeconfig(), System.getenv(), Path.of(System.getProperty("user.home")));
	}

	@Bean(destroyMethod = "dispose")
	Scheduler kubernetesScheduler() {
		return Schedulers.newBoundedElastic(MAX_BLOCKING_THREADS, 10_000, "kubernetes");
	}

	@Bean
	@ConditionalOnMissingBean
	Cluster kubernetesCluster(ApiClient client, Scheduler kubernetesScheduler) {
		return new KubernetesCluster(client, new BlockingCalls(kubernetesScheduler));
	}

}
