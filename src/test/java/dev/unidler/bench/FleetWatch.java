package dev.unidler.bench;

import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.google.gson.reflect.TypeToken;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.apis.DiscoveryV1Api;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1EndpointSlice;
import io.kubernetes.client.util.Watch;

/**
 * The benchmark's own view of many apps in one namespace: when the last of them was first
 * seen available and routable in the API. It tells how much of the time to wake them all
 * is the control plane's (scheduling, starting pods, endpoints on a shared 2-core
 * machine) and how much the unidler's.
 */
final class FleetWatch implements AutoCloseable {

	private final int size;

	private final Set<String> available = ConcurrentHashMap.newKeySet();

	private final Set<String> routable = ConcurrentHashMap.newKeySet();

	private volatile long allAvailableNanos;

	private volatile long allRoutableNanos;

	private Watch<V1Deployment> deployments;

	private Watch<V1EndpointSlice> slices;

	private FleetWatch(int size) {
		this.size = size;
	}

	static FleetWatch start(ApiClient watching, String namespace, int size) throws ApiException {
		FleetWatch watch = new FleetWatch(size);
		Type deploymentType = new TypeToken<Watch.Response<V1Deployment>>() {
		}.getType();
		watch.deployments = Watch.createWatch(watching,
				new AppsV1Api(watching).listNamespacedDeployment(namespace)
					.watch(true)
					.timeoutSeconds(600)
					.buildCall(null),
				deploymentType);
		Type sliceType = new TypeToken<Watch.Response<V1EndpointSlice>>() {
		}.getType();
		watch.slices = Watch.createWatch(watching,
				new DiscoveryV1Api(watching).listNamespacedEndpointSlice(namespace)
					.watch(true)
					.timeoutSeconds(600)
					.buildCall(null),
				sliceType);
		Thread.ofPlatform().daemon().name("watch-fleet-deployments").start(() -> {
			try {
				for (Watch.Response<V1Deployment> event : watch.deployments) {
					V1Deployment deployment = event.object;
					if (deployment != null && deployment.getStatus() != null
							&& deployment.getStatus().getAvailableReplicas() != null
							&& deployment.getStatus().getAvailableReplicas() >= 1
							&& watch.available.add(deployment.getMetadata().getName())
							&& watch.available.size() == watch.size) {
						watch.allAvailableNanos = System.nanoTime();
					}
				}
			}
			catch (RuntimeException ex) {
				// closed
			}
		});
		Thread.ofPlatform().daemon().name("watch-fleet-slices").start(() -> {
			try {
				for (Watch.Response<V1EndpointSlice> event : watch.slices) {
					V1EndpointSlice slice = event.object;
					if (slice != null && slice.getEndpoints() != null
							&& slice.getEndpoints().stream().anyMatch(AppWatch::isReady)
							&& watch.routable.add(slice.getMetadata().getLabels().get("kubernetes.io/service-name"))
							&& watch.routable.size() == watch.size) {
						watch.allRoutableNanos = System.nanoTime();
					}
				}
			}
			catch (RuntimeException ex) {
				// closed
			}
		});
		return watch;
	}

	/** When the last Deployment was first seen available, or 0. */
	long allAvailableNanos() {
		return this.allAvailableNanos;
	}

	/** When the last Service was first seen with a ready endpoint, or 0. */
	long allRoutableNanos() {
		return this.allRoutableNanos;
	}

	@Override
	public void close() throws IOException {
		this.deployments.close();
		this.slices.close();
	}

}
