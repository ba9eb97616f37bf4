package dev.unidler.bench;

import java.io.IOException;
import java.lang.reflect.Type;
import java.util.List;
import java.util.function.Consumer;

import com.google.gson.reflect.TypeToken;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.apis.DiscoveryV1Api;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Endpoint;
import io.kubernetes.client.openapi.models.V1EndpointSlice;
import io.kubernetes.client.util.Watch;
import okhttp3.Call;

/**
 * The benchmark's own view of an app in the API: a watch of its Deployment and one of its
 * EndpointSlices (admin client, on threads of their own), timestamping
 * ({@link System#nanoTime()}) when the Deployment is first seen available and when a
 * ready endpoint is first seen. Notify latency is measured from the later of the two.
 */
final class AppWatch implements AutoCloseable {

	private final Watch<V1Deployment> deployments;

	private final Watch<V1EndpointSlice> slices;

	private volatile long availableNanos;

	private volatile long routableNanos;

	private AppWatch(Watch<V1Deployment> deployments, Watch<V1EndpointSlice> slices) {
		this.deployments = deployments;
		this.slices = slices;
	}

	/**
	 * Starts watching an app.
	 * @param watching an admin client without read timeout
	 * @param app the app
	 * @return the running watch
	 */
	static AppWatch start(ApiClient watching, BenchApp app) throws ApiException {
		Call deploymentCall = new AppsV1Api(watching).listNamespacedDeployment(app.namespace())
			.fieldSelector("metadata.name=" + app.name())
			.watch(true)
			.timeoutSeconds(600)
			.buildCall(null);
		Type deploymentType = new TypeToken<Watch.Response<V1Deployment>>() {
		}.getType();
		Watch<V1Deployment> deployments = Watch.createWatch(watching, deploymentCall, deploymentType);
		Call sliceCall = new DiscoveryV1Api(watching).listNamespacedEndpointSlice(app.namespace())
			.labelSelector("kubernetes.io/service-name=" + app.name())
			.watch(true)
			.timeoutSeconds(600)
			.buildCall(null);
		Type sliceType = new TypeToken<Watch.Response<V1EndpointSlice>>() {
		}.getType();
		Watch<V1EndpointSlice> slices = Watch.createWatch(watching, sliceCall, sliceType);
		AppWatch watch = new AppWatch(deployments, slices);
		Thread.ofPlatform()
			.daemon()
			.name("watch-deployment-" + app.name())
			.start(() -> follow(deployments, (deployment) -> {
				if (watch.availableNanos == 0 && deployment.getStatus() != null
						&& deployment.getStatus().getAvailableReplicas() != null
						&& deployment.getStatus().getAvailableReplicas() >= 1) {
					watch.availableNanos = System.nanoTime();
				}
			}));
		Thread.ofPlatform().daemon().name("watch-slices-" + app.name()).start(() -> follow(slices, (slice) -> {
			List<V1Endpoint> endpoints = slice.getEndpoints();
			if (watch.routableNanos == 0 && endpoints != null && endpoints.stream().anyMatch(AppWatch::isReady)) {
				watch.routableNanos = System.nanoTime();
			}
		}));
		return watch;
	}

	/**
	 * A ready endpoint, as the EndpointSlice API defines it: an unset condition counts as
	 * ready (the unidler reads it the same way).
	 */
	static boolean isReady(V1Endpoint endpoint) {
		return endpoint.getConditions() == null || !Boolean.FALSE.equals(endpoint.getConditions().getReady());
	}

	/** Hands every object the watch sends on, until the watch ends or is closed. */
	private static <T> void follow(Watch<T> watch, Consumer<T> each) {
		try {
			for (Watch.Response<T> event : watch) {
				if (event.object != null) {
					each.accept(event.object);
				}
			}
		}
		catch (RuntimeException ex) {
			// Closed by close(), or the API server ended it: the figures say what was
			// seen.
		}
	}

	/** When the Deployment was first seen available, or 0. */
	long availableNanos() {
		return this.availableNanos;
	}

	/** When a ready endpoint of the app's Service was first seen, or 0. */
	long routableNanos() {
		return this.routableNanos;
	}

	/** The later of the two, or 0 while either is unseen. */
	long seenNanos() {
		long available = this.availableNanos;
		long routable = this.routableNanos;
		return (available == 0 || routable == 0) ? 0 : Math.max(available, routable);
	}

	@Override
	public void close() throws IOException {
		this.deployments.close();
		this.slices.close();
	}

}
