package dev.unidler.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.EventsV1Api;
import io.kubernetes.client.openapi.models.EventsV1Event;

/**
 * The Kubernetes Events recorded on a workload, read as an administrator with the
 * {@code events.k8s.io/v1} API. The unidler writes them after an operation ends, without
 * waiting, so tests wait for them.
 */
public final class RecordedEvents {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private RecordedEvents() {
	}

	/** Every Event of the namespace about the workload with this kind and name. */
	public static List<EventsV1Event> on(TestCluster cluster, String namespace, String kind, String name)
			throws ApiException {
		return new EventsV1Api(cluster.apiClient()).listNamespacedEvent(namespace)
			.execute()
			.getItems()
			.stream()
			.filter((event) -> event.getRegarding() != null && kind.equals(event.getRegarding().getKind())
					&& name.equals(event.getRegarding().getName()))
			.toList();
	}

	/** Waits for an Event with this reason on the workload; fails after 20 s. */
	public static EventsV1Event await(TestCluster cluster, String namespace, String kind, String name, String reason)
			throws ApiException {
		long end = System.nanoTime() + WAIT.toNanos();
		while (true) {
			List<EventsV1Event> events = on(cluster, namespace, kind, name);
			for (EventsV1Event event : events) {
				if (Objects.equals(reason, event.getReason())) {
					return event;
				}
			}
			if (System.nanoTime() > end) {
				throw new AssertionError("No " + reason + " Event on " + kind + " " + namespace + "/" + name
						+ " within " + WAIT.toSeconds() + " s; there are: "
						+ events.stream().map((event) -> event.getReason() + " " + event.getNote()).toList());
			}
			TestNamespace.sleep(Duration.ofMillis(200));
		}
	}

}
