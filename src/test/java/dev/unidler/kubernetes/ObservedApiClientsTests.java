package dev.unidler.kubernetes;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.unidler.cluster.RealCluster;
import dev.unidler.cluster.TestCluster;
import dev.unidler.cluster.TestNamespace;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.support.StaticListableBeanFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Every request of an {@link ApiClient} bean reaches the observers, as the API server
 * answered it, and so do those of the watching copy the informers use.
 */
@RealCluster
class ObservedApiClientsTests {

	private final List<ApiRequest> seen = new CopyOnWriteArrayList<>();

	@Test
	void requestsAreSeenWithTheirVerbResourceAndCode(TestCluster cluster, TestNamespace ns) throws Exception {
		ApiClient client = observed(TestCluster.client(cluster.kubeconfig(), Duration.ofSeconds(30)));

		new CoreV1Api(client).listNamespacedService(ns.name()).execute();
		assertThatExceptionOfType(ApiException.class)
			.isThrownBy(() -> new AppsV1Api(client).readNamespacedDeployment("no-such-app", ns.name()).execute());
		new CoreV1Api(ApiClients.forWatching(client)).listNamespacedPod(ns.name()).execute();

		assertThat(this.seen).containsExactly(new ApiRequest("list", "services", "200"),
				new ApiRequest("get", "deployments", "404"), new ApiRequest("list", "pods", "200"));
	}

	@Test
	void aRequestWithoutAnAnswerIsSeenAsNone() throws Exception {
		ApiClient client = observed(new ApiClient());
		// A loopback port nobody listens on: refused at once.
		client.setBasePath("http://127.0.0.1:9");

		assertThatExceptionOfType(ApiException.class)
			.isThrownBy(() -> new CoreV1Api(client).listNamespacedPod("default").execute());

		assertThat(this.seen).containsExactly(new ApiRequest("list", "pods", ApiRequest.NO_RESPONSE));
	}

	@Test
	void withoutObserversTheClientIsLeftAsItIs() {
		ApiClient client = new ApiClient();
		OkHttpClient before = client.getHttpClient();

		new ObservedApiClients(new StaticListableBeanFactory().getBeanProvider(ApiRequestObserver.class))
			.postProcessAfterInitialization(client, "kubernetesApiClient");

		assertThat(client.getHttpClient()).isSameAs(before);
	}

	private ApiClient observed(ApiClient client) {
		StaticListableBeanFactory beans = new StaticListableBeanFactory();
		beans.addBean("observer", (ApiRequestObserver) this.seen::add);
		return (ApiClient) new ObservedApiClients(beans.getBeanProvider(ApiRequestObserver.class))
			.postProcessAfterInitialization(client, "kubernetesApiClient");
	}

}
