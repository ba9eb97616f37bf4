package dev.unidler.kubernetes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;

import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.informer.ResourceEventHandler;
import io.kubernetes.client.informer.SharedIndexInformer;
import io.kubernetes.client.informer.SharedInformerFactory;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.apis.DiscoveryV1Api;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1DeploymentList;
import io.kubernetes.client.openapi.models.V1EndpointSlice;
import io.kubernetes.client.openapi.models.V1EndpointSliceList;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServiceList;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import io.kubernetes.client.openapi.models.V1StatefulSetList;
import io.kubernetes.client.util.CallGenerator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

import org.springframework.context.SmartLifecycle;

/**
 * What the unidler knows of the cluster without asking: one shared, label-selected
 * informer per resource (client-java's {@link SharedInformerFactory}), indexed by what
 * lookups ask. Deployments, StatefulSets and Services that carry the lookup label, and
 * EndpointSlices; in each namespace of the scope, or cluster-wide. Finding an app,
 * waiting for it to be available, routable or rolled out read here and react to its
 * events, so they cost no API request and no thread per wait; a watch that drops relists
 * by itself. Objects without the lookup label are not kept, so memory grows with the
 * apps, not with the cluster.
 *
 * <p>
 * Its contents lag the API by a watch event: decisions taken just before a write read
 * fresh instead.
 */
final class ClusterCache implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(ClusterCache.class);

	static final String LOOKUP = "lookup";

	static final String SERVICE = "service";

	static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

	private final List<Scope> scopes;

	private final Scheduler reads;

	private final Sinks.Many<String> changes = Sinks.many().multicast().directBestEffort();

	private static final Duration START_WAIT = Duration.ofSeconds(30);

	private static final Duration SYNC_POLL = Duration.ofMillis(50);

	private volatile boolean running;

	private volatile boolean synced;

	/**
	 * @param client the client its watches use
	 * @param lookupLabel the label apps carry
	 * @param namespaces the namespaces in scope; empty for all
	 * @param reads where reads of the cache run: its locks may wait, which no event loop
	 * may
	 */
	ClusterCache(ApiClient client, String lookupLabel, List<String> namespaces, Scheduler reads) {
		this.reads = reads;
		List<@Nullable String> in = namespaces.isEmpty() ? Collections.singletonList(null)
				: new ArrayList<>(namespaces);
		this.scopes = in.stream().map((namespace) -> new Scope(client, lookupLabel, namespace)).toList();
	}

	/**
	 * Whether every informer has listed its objects once: lookups can be trusted. A flag
	 * read on any thread: asking the informers takes their locks, which an event loop
	 * must not wait for.
	 */
	boolean hasSynced() {
		return this.synced;
	}

	private boolean informersSynced() {
		return this.scopes.stream().allMatch(Scope::hasSynced);
	}

	/** Deployments whose lookup label has this value. */
	Mono<List<V1Deployment>> deployments(String value) {
		return read(() -> collect((scope) -> scope.deployments.getIndexer().byIndex(LOOKUP, value)));
	}

	/** Deployments that carry the lookup label. */
	Mono<List<V1Deployment>> deployments() {
		return read(() -> collect((scope) -> scope.deployments.getIndexer().list()));
	}

	/** StatefulSets whose lookup label has this value. */
	Mono<List<V1StatefulSet>> statefulSets(String value) {
		return read(() -> collect((scope) -> scope.statefulSets.getIndexer().byIndex(LOOKUP, value)));
	}

	/** StatefulSets that carry the lookup label. */
	Mono<List<V1StatefulSet>> statefulSets() {
		return read(() -> collect((scope) -> scope.statefulSets.getIndexer().list()));
	}

	/**
	 * A labelled Deployment as last seen; empty when the cache has none of that name
	 * (deleted, or not labelled).
	 */
	Mono<V1Deployment> deployment(String namespace, String name) {
		return read(() -> first((scope) -> scope.deployments.getIndexer().getByKey(namespace + "/" + name)));
	}

	/**
	 * A labelled StatefulSet as last seen; empty when the cache has none of that name.
	 */
	Mono<V1StatefulSet> statefulSet(String namespace, String name) {
		return read(() -> first((scope) -> scope.statefulSets.getIndexer().getByKey(namespace + "/" + name)));
	}

	/** Services whose lookup label has this value. */
	Mono<List<V1Service>> services(String value) {
		return read(() -> collect((scope) -> scope.services.getIndexer().byIndex(LOOKUP, value)));
	}

	/** Services that carry the lookup label. */
	Mono<List<V1Service>> services() {
		return read(() -> collect((scope) -> scope.services.getIndexer().list()));
	}

	/**
	 * Emits whenever any labelled Deployment, StatefulSet or Service changes, is added or
	 * goes: what a view of every app follows. Carries no state; EndpointSlices, which
	 * change with every pod, are left out.
	 */
	Flux<?> appChanges() {
		return this.changes.asFlux().filter((key) -> !key.startsWith("endpoints "));
	}

	/**
	 * Emits whenever a StatefulSet changes, is added or goes; carries no state.
	 */
	Flux<?> statefulSetChanges(String namespace, String name) {
		String key = "statefulset " + namespace + "/" + name;
		return this.changes.asFlux().filter(key::equals);
	}

	/** The EndpointSlices of a Service. */
	Mono<List<V1EndpointSlice>> endpointSlices(String namespace, String service) {
		return read(() -> collect(
				(scope) -> scope.endpointSlices.getIndexer().byIndex(SERVICE, namespace + "/" + service)));
	}

	/**
	 * Emits whenever a Deployment changes, is added or goes; carries no state.
	 */
	Flux<?> deploymentChanges(String namespace, String name) {
		String key = "deployment " + namespace + "/" + name;
		return this.changes.asFlux().filter(key::equals);
	}

	/** Emits whenever an EndpointSlice of a Service changes; carries no state. */
	Flux<?> endpointChanges(String namespace, String service) {
		String key = "endpoints " + namespace + "/" + service;
		return this.changes.asFlux().filter(key::equals);
	}

	private <T> Mono<T> read(Callable<T> read) {
		return synced().then(Mono.fromCallable(read).subscribeOn(this.reads));
	}

	private <T> @Nullable T first(Function<Scope, @Nullable T> read) {
		for (Scope scope : this.scopes) {
			T found = read.apply(scope);
			if (found != null) {
				return found;
			}
		}
		return null;
	}

	private <T> List<T> collect(Function<Scope, List<T>> read) {
		List<T> all = new ArrayList<>();
		this.scopes.forEach((scope) -> all.addAll(read.apply(scope)));
		return all;
	}

	/** Informer threads emit one at a time: a sink takes no concurrent emissions. */
	private void changed(String key) {
		synchronized (this.changes) {
			this.changes.tryEmitNext(key);
		}
	}

	/**
	 * Starts the informers and waits, at most {@link #START_WAIT}, for their first lists:
	 * an instance that takes requests right after start-up answers them from a full
	 * cache. When the API is slower than that, start-up goes on and {@code /healthz} says
	 * {@code starting} until the cache has synced.
	 */
	@Override
	public void start() {
		this.scopes.forEach((scope) -> scope.factory.startAllRegisteredInformers());
		this.running = true;
		long end = System.nanoTime() + START_WAIT.toNanos();
		try {
			while (!(this.synced = informersSynced()) && System.nanoTime() < end) {
				// The starting thread (the application's main thread), never an event
				// loop.
				Thread.sleep(SYNC_POLL.toMillis());
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		if (hasSynced()) {
			logger.debug("The cluster cache has synced");
		}
		else {
			logger.info("The cluster cache has not synced within {} s; /healthz says starting until it has",
					START_WAIT.toSeconds());
			Flux.interval(SYNC_POLL, this.reads).filter((tick) -> informersSynced()).next().subscribe((tick) -> {
				this.synced = true;
				logger.info("The cluster cache has synced");
			});
		}
	}

	/**
	 * Completes once every informer has listed; lookups wait for it, so that an app is
	 * never called unknown by a cache that has not seen it yet. Bounded by the caller.
	 */
	Mono<Void> synced() {
		if (hasSynced()) {
			return Mono.empty();
		}
		return Flux.interval(SYNC_POLL).filter((tick) -> hasSynced()).next().then();
	}

	@Override
	public void stop() {
		this.scopes.forEach((scope) -> scope.factory.stopAllRegisteredInformers(true));
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/** Starts before the web server takes requests, and stops after it. */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE - 1000;
	}

	/** The informers of one namespace, or of all. */
	private final class Scope {

		private final SharedInformerFactory factory;

		private final SharedIndexInformer<V1Deployment> deployments;

		private final SharedIndexInformer<V1StatefulSet> statefulSets;

		private final SharedIndexInformer<V1Service> services;

		private final SharedIndexInformer<V1EndpointSlice> endpointSlices;

		Scope(ApiClient client, String lookupLabel, @Nullable String namespace) {
			this.factory = new SharedInformerFactory(client);
			AppsV1Api apps = new AppsV1Api(client);
			CoreV1Api core = new CoreV1Api(client);
			DiscoveryV1Api discovery = new DiscoveryV1Api(client);
			CallGenerator deploymentCalls = (params) -> (namespace != null)
					? apps.listNamespacedDeployment(namespace)
						.labelSelector(lookupLabel)
						.resourceVersion(params.resourceVersion)
						.watch(params.watch)
						.timeoutSeconds(params.timeoutSeconds)
						.buildCall(null)
					: apps.listDeploymentForAllNamespaces()
						.labelSelector(lookupLabel)
						.resourceVersion(params.resourceVersion)
						.watch(params.watch)
						.timeoutSeconds(params.timeoutSeconds)
						.buildCall(null);
			CallGenerator statefulSetCalls = (params) -> (namespace != null)
					? apps.listNamespacedStatefulSet(namespace)
						.labelSelector(lookupLabel)
						.resourceVersion(params.resourceVersion)
						.watch(params.watch)
						.timeoutSeconds(params.timeoutSeconds)
						.buildCall(null)
					: apps.listStatefulSetForAllNamespaces()
						.labelSelector(lookupLabel)
						.resourceVersion(params.resourceVersion)
						.watch(params.watch)
						.timeoutSeconds(params.timeoutSeconds)
						.buildCall(null);
			CallGenerator serviceCalls = (params) -> (namespace != null)
					? core.listNamespacedService(namespace)
						.labelSelector(lookupLabel)
						.resourceVersion(params.resourceVersion)
						.watch(params.watch)
						.timeoutSeconds(params.timeoutSeconds)
						.buildCall(null)
					: core.listServiceForAllNamespaces()
						.labelSelector(lookupLabel)
						.resourceVersion(params.resourceVersion)
						.watch(params.watch)
						.timeoutSeconds(params.timeoutSeconds)
						.buildCall(null);
			CallGenerator sliceCalls = (params) -> (namespace != null)
					? discovery.listNamespacedEndpointSlice(namespace)
						.labelSelector(SERVICE_NAME_LABEL)
						.resourceVersion(params.resourceVersion)
						.watch(params.watch)
						.timeoutSeconds(params.timeoutSeconds)
						.buildCall(null)
					: discovery.listEndpointSliceForAllNamespaces()
						.labelSelector(SERVICE_NAME_LABEL)
						.resourceVersion(params.resourceVersion)
						.watch(params.watch)
						.timeoutSeconds(params.timeoutSeconds)
						.buildCall(null);
			this.deployments = this.factory.sharedIndexInformerFor(deploymentCalls, V1Deployment.class,
					V1DeploymentList.class, 0, ClusterCache::watchFailed);
			this.statefulSets = this.factory.sharedIndexInformerFor(statefulSetCalls, V1StatefulSet.class,
					V1StatefulSetList.class, 0, ClusterCache::watchFailed);
			this.services = this.factory.sharedIndexInformerFor(serviceCalls, V1Service.class, V1ServiceList.class, 0,
					ClusterCache::watchFailed);
			this.endpointSlices = this.factory.sharedIndexInformerFor(sliceCalls, V1EndpointSlice.class,
					V1EndpointSliceList.class, 0, ClusterCache::watchFailed);
			this.deployments.addIndexers(Map.of(LOOKUP, (object) -> label(object, lookupLabel)));
			this.statefulSets.addIndexers(Map.of(LOOKUP, (object) -> label(object, lookupLabel)));
			this.services.addIndexers(Map.of(LOOKUP, (object) -> label(object, lookupLabel)));
			this.endpointSlices.addIndexers(Map.of(SERVICE,
					(slice) -> label(slice, SERVICE_NAME_LABEL).stream()
						.map((service) -> slice.getMetadata().getNamespace() + "/" + service)
						.toList()));
			this.deployments.addEventHandler(handler((deployment) -> "deployment " + key(deployment)));
			this.statefulSets.addEventHandler(handler((statefulSet) -> "statefulset " + key(statefulSet)));
			this.services.addEventHandler(handler((service) -> "service " + key(service)));
			this.endpointSlices.addEventHandler(handler((slice) -> "endpoints " + slice.getMetadata().getNamespace()
					+ "/" + String.join(",", label(slice, SERVICE_NAME_LABEL))));
		}

		boolean hasSynced() {
			return this.deployments.hasSynced() && this.statefulSets.hasSynced() && this.services.hasSynced()
					&& this.endpointSlices.hasSynced();
		}

	}

	private <T extends KubernetesObject> ResourceEventHandler<T> handler(Function<T, String> key) {
		return new ResourceEventHandler<>() {

			@Override
			public void onAdd(T object) {
				changed(key.apply(object));
			}

			@Override
			public void onUpdate(T old, T object) {
				changed(key.apply(object));
			}

			@Override
			public void onDelete(T object, boolean finalStateUnknown) {
				changed(key.apply(object));
			}

		};
	}

	private static List<String> label(KubernetesObject object, String label) {
		Map<String, String> labels = (object.getMetadata() != null) ? object.getMetadata().getLabels() : null;
		String value = (labels != null) ? labels.get(label) : null;
		return (value != null) ? List.of(value) : List.of();
	}

	private static String key(KubernetesObject object) {
		return object.getMetadata().getNamespace() + "/" + object.getMetadata().getName();
	}

	private static void watchFailed(Class<?> type, Throwable error) {
		logger.info("The watch of {} failed; it lists again: {}", type.getSimpleName(), error.toString());
	}

}
