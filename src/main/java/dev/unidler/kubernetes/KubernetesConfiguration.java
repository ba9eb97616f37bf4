package dev.unidler.kubernetes;

import java.nio.file.Path;
import java.time.InstantSource;

import dev.unidler.UnidlerProperties;
import dev.unidler.app.AppEvents;
import dev.unidler.app.Cluster;
import dev.unidler.app.Inventory;
import dev.unidler.app.Leases;
import dev.unidler.operation.AppLeases;
import dev.unidler.operation.CoordinationProperties;
import dev.unidler.restart.Workloads;
import io.kubernetes.client.openapi.ApiClient;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Kubernetes client and the scheduler its blocking calls run on.
 */
@Configuration(proxyBeanMethods = false)
class KubernetesConfiguration {

	/** Short calls: reads and patches, each bounded by a timeout. */
	private static final int MAX_CALL_THREADS = 32;

	/** Static: a post-processor is created before the beans it processes. */
	@Bean
	static ObservedApiClients observedApiClients(ObjectProvider<ApiRequestObserver> observers) {
		return new ObservedApiClients(observers);
	}

	@Bean
	@ConditionalOnMissingBean
	ApiClient kubernetesApiClient(UnidlerProperties properties) {
		return ApiClients.create(properties.kubeconfig(), System.getenv(), Path.of(System.getProperty("user.home")));
	}

	@Bean(destroyMethod = "dispose")
	Scheduler kubernetesCallScheduler() {
		return Schedulers.newBoundedElastic(MAX_CALL_THREADS, 10_000, "kubernetes");
	}

	@Bean
	ClusterCache kubernetesClusterCache(ApiClient client, Scheduler kubernetesCallScheduler,
			UnidlerProperties properties) {
		return new ClusterCache(ApiClients.forWatching(client), properties.labels().lookup(), properties.namespaces(),
				kubernetesCallScheduler);
	}

	@Bean
	@ConditionalOnMissingBean
	Cluster kubernetesCluster(ApiClient client, Scheduler kubernetesCallScheduler, ClusterCache kubernetesClusterCache,
			UnidlerProperties properties) {
		BlockingCalls calls = new BlockingCalls(kubernetesCallScheduler);
		return new KubernetesCluster(client, calls, new NamespaceScope(properties.namespaces(), calls),
				kubernetesClusterCache);
	}

	@Bean
	@ConditionalOnMissingBean
	Workloads kubernetesWorkloads(ApiClient client, Scheduler kubernetesCallScheduler,
			ClusterCache kubernetesClusterCache) {
		return new KubernetesWorkloads(client, new BlockingCalls(kubernetesCallScheduler), kubernetesClusterCache);
	}

	@Bean
	@ConditionalOnMissingBean
	Inventory kubernetesInventory(ClusterCache kubernetesClusterCache) {
		return new KubernetesInventory(kubernetesClusterCache);
	}

	@Bean
	@ConditionalOnMissingBean
	Leases kubernetesLeases(ApiClient client, Scheduler kubernetesCallScheduler, CoordinationProperties coordination) {
		return new KubernetesLeases(client, new BlockingCalls(kubernetesCallScheduler), coordination.namespace());
	}

	/**
	 * Events on workloads, written as this replica: {@code reportingInstance} is the
	 * identity it holds Leases by.
	 */
	@Bean
	@ConditionalOnMissingBean
	AppEvents kubernetesEvents(ApiClient client, Scheduler kubernetesCallScheduler, ClusterCache kubernetesClusterCache,
			KubernetesEventsProperties settings, AppLeases appLeases) {
		EventSeries series = new EventSeries(settings.seriesWindow(), settings.burst(), settings.refill(),
				InstantSource.system());
		return new KubernetesEvents(client, new BlockingCalls(kubernetesCallScheduler), kubernetesClusterCache, series,
				settings, appLeases.identity());
	}

}
