package dev.unidler.wake;

import java.net.ConnectException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import dev.unidler.app.AppKey;
import dev.unidler.app.Cluster;
import dev.unidler.app.ClusterException;
import dev.unidler.app.DeploymentState;
import dev.unidler.app.IngressState;
import dev.unidler.app.PodProblem;
import dev.unidler.app.ServiceSpec;
import dev.unidler.app.ServiceState;
import dev.unidler.app.ServiceStates;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * An in-memory {@link Cluster} for logic that needs no Kubernetes: the wake's ordering,
 * sharing, deadlines and messages. What Kubernetes itself does with the writes is proven
 * against the real control plane, not here.
 */
public final class FakeCluster implements Cluster {

	private final Map<String, DeploymentState> deployments = new ConcurrentHashMap<>();

	private final Map<String, ServiceState> services = new ConcurrentHashMap<>();

	private final Map<String, Integer> endpoints = new ConcurrentHashMap<>();

	private final List<PodProblem> podProblems = new CopyOnWriteArrayList<>();

	private final List<IngressState> ingresses = new CopyOnWriteArrayList<>();

	private final AtomicInteger outageCalls = new AtomicInteger();

	private volatile int failingCalls;

	private volatile int failingStatus;

	private volatile boolean down;

	private volatile int failingWrites;

	private final List<String> writes = new CopyOnWriteArrayList<>();

	private final AtomicInteger reads = new AtomicInteger();

	private final AtomicInteger podLists = new AtomicInteger();

	private final Sinks.Many<String> changes = Sinks.many().multicast().directBestEffort();

	private volatile boolean becomesAvailableWhenScaled = true;

	/** Adds an app in the idled state, as the idler leaves it. */
	public FakeCluster idledApp(String namespace, String name, String host, Map<String, String> annotations) {
		Map<String, String> labels = Map.of("app", name, "host", host, "mojanalytics.xyz/idled", "true");
		this.deployments.put(namespace + "/" + name,
				new DeploymentState(namespace, name, 0, 0, labels, annotations, Map.of("app", name)));
		this.services.put(namespace + "/" + name,
				ServiceStates.of(namespace, name, "ExternalName", "unidler.unidler.svc.cluster.local", Map.of(),
						List.of(80), Map.of("app", name, "host", host), Map.of()));
		return this;
	}

	/**
	 * Adds a Deployment someone scaled to 0 on purpose, behind a normal Service: no idled
	 * marks anywhere.
	 */
	public FakeCluster stoppedApp(String namespace, String name, String host) {
		this.deployments.put(namespace + "/" + name, new DeploymentState(namespace, name, 0, 0,
				Map.of("app", name, "host", host), Map.of(), Map.of("app", name)));
		this.services.put(namespace + "/" + name, ServiceStates.of(namespace, name, "ClusterIP", null,
				Map.of("app", name), List.of(80), Map.of("app", name, "host", host), Map.of()));
		return this;
	}

	/** Points a Service at an outside name with type {@code ExternalName}. */
	public FakeCluster externalName(String namespace, String name, String externalName) {
		this.services.computeIfPresent(namespace + "/" + name, (k, s) -> ServiceStates.of(s.namespace(), s.name(),
				"ExternalName", externalName, Map.of(), s.ports(), s.labels(), s.annotations()));
		return this;
	}

	/**
	 * Holds an app's Service back, as a cache that has not seen it yet does.
	 * @return the Service, for {@link #putService}
	 */
	public ServiceState holdBackService(String namespace, String name) {
		return this.services.remove(namespace + "/" + name);
	}

	/** Adds a Service, as when the cache sees it. */
	public void putService(ServiceState service) {
		this.services.put(service.namespace() + "/" + service.name(), service);
	}

	/** Removes the idled marks, as a wake cut short after mark-awake leaves them. */
	public FakeCluster withoutIdledMarks(String namespace, String name) {
		this.deployments.computeIfPresent(namespace + "/" + name,
				(key, d) -> new DeploymentState(d.namespace(), d.name(), d.replicas(), d.availableReplicas(),
						Map.of("app", name, "host", d.labels().get("host")), Map.of(), d.selector()));
		return this;
	}

	public FakeCluster ingress(String namespace, String name, Instant created, String... hosts) {
		this.ingresses.add(new IngressState(namespace, name, created, List.of(hosts)));
		return this;
	}

	/**
	 * The next {@code calls} calls fail as they would with the API server down (no
	 * answer), or with the given HTTP status.
	 */
	public void failNextCalls(int calls, int status) {
		this.failingStatus = status;
		this.failingCalls = calls;
	}

	/** The next {@code writes} writes fail with the given HTTP status (0: no answer). */
	public void failNextWrites(int writes, int status) {
		this.failingStatus = status;
		this.failingWrites = writes;
	}

	/**
	 * Every call fails until {@link #apiUp()}, as they would with the API server down (no
	 * answer, status 0).
	 */
	public void apiDown() {
		this.failingStatus = 0;
		this.down = true;
	}

	public void apiUp() {
		this.down = false;
	}

	/** How many calls failed because of {@link #failNextCalls} or {@link #apiDown()}. */
	public int failedCalls() {
		return this.outageCalls.get();
	}

	private <T> Mono<T> write(Supplier<Mono<T>> write) {
		return call(() -> {
			if (this.failingWrites > 0) {
				this.failingWrites--;
				this.outageCalls.incrementAndGet();
				return Mono.error(new ClusterException("fake write failed", this.failingStatus,
						new ConnectException("Connection refused")));
			}
			return write.get();
		});
	}

	private <T> Mono<T> call(Supplier<Mono<T>> call) {
		return Mono.defer(() -> {
			if (this.down || this.failingCalls > 0) {
				this.failingCalls = Math.max(0, this.failingCalls - 1);
				this.outageCalls.incrementAndGet();
				return Mono.error(new ClusterException("fake call failed", this.failingStatus,
						new ConnectException("Connection refused")));
			}
			return call.get();
		});
	}

	public FakeCluster awakeApp(String namespace, String name, String host) {
		this.deployments.put(namespace + "/" + name, new DeploymentState(namespace, name, 2, 2,
				Map.of("app", name, "host", host), Map.of(), Map.of("app", name)));
		this.services.put(namespace + "/" + name, ServiceStates.of(namespace, name, "ClusterIP", null,
				Map.of("app", name), List.of(80), Map.of("app", name, "host", host), Map.of()));
		this.endpoints.put(namespace + "/" + name, 2);
		return this;
	}

	/**
	 * Pods never become available by themselves: tests move them with
	 * {@link #setAvailable}.
	 */
	public FakeCluster manualAvailability() {
		this.becomesAvailableWhenScaled = false;
		return this;
	}

	public void setAvailable(String namespace, String name, int available) {
		setAvailableWithoutEvent(namespace, name, available);
		this.changes.tryEmitNext("MODIFIED");
	}

	/** Changes the state as a lost watch event would leave it: nobody is told. */
	public void setAvailableWithoutEvent(String namespace, String name, int available) {
		this.deployments.computeIfPresent(namespace + "/" + name, (key, d) -> new DeploymentState(d.namespace(),
				d.name(), d.replicas(), available, d.labels(), d.annotations(), d.selector()));
		this.endpoints.put(namespace + "/" + name, available);
	}

	public FakeCluster annotateService(String namespace, String name, String key, String value) {
		this.services.computeIfPresent(namespace + "/" + name, (k, s) -> {
			Map<String, String> annotations = new HashMap<>(s.annotations());
			annotations.put(key, value);
			return ServiceStates.of(s.namespace(), s.name(), s.type(), s.externalName(), s.selector(), s.ports(),
					s.labels(), annotations);
		});
		return this;
	}

	public void addPodProblem(PodProblem problem) {
		this.podProblems.add(problem);
	}

	public List<String> writes() {
		return List.copyOf(this.writes);
	}

	/** How many times pods were listed. */
	public int podLists() {
		return this.podLists.get();
	}

	public int reads() {
		return this.reads.get();
	}

	public DeploymentState deploymentNow(String namespace, String name) {
		return this.deployments.get(namespace + "/" + name);
	}

	public ServiceState serviceNow(String namespace, String name) {
		return this.services.get(namespace + "/" + name);
	}

	@Override
	public Mono<List<DeploymentState>> findDeployments(AppKey key) {
		return call(() -> Mono.fromSupplier(() -> {
			this.reads.incrementAndGet();
			return this.deployments.values()
				.stream()
				.filter((d) -> key.value().equals(d.labels().get(key.label())))
				.toList();
		}));
	}

	@Override
	public Mono<List<ServiceState>> findServices(AppKey key) {
		return call(() -> Mono.fromSupplier(() -> {
			this.reads.incrementAndGet();
			return this.services.values()
				.stream()
				.filter((s) -> key.value().equals(s.labels().get(key.label())))
				.toList();
		}));
	}

	@Override
	public Mono<List<IngressState>> ingresses() {
		return call(() -> Mono.fromSupplier(() -> List.copyOf(this.ingresses)));
	}

	@Override
	public Mono<DeploymentState> deployment(String namespace, String name) {
		return call(() -> Mono.fromSupplier(() -> {
			this.reads.incrementAndGet();
			return this.deployments.get(namespace + "/" + name);
		}));
	}

	@Override
	public Mono<ServiceState> service(String namespace, String name) {
		return call(() -> Mono.fromSupplier(() -> this.services.get(namespace + "/" + name)));
	}

	private volatile boolean synced = true;

	/** Whether lookups can be trusted yet, as a cache that has not listed would say. */
	public FakeCluster synced(boolean synced) {
		this.synced = synced;
		return this;
	}

	@Override
	public boolean isSynced() {
		return this.synced;
	}

	/** Its apps carry the default lookup label, {@code host}. */
	@Override
	public Mono<List<DeploymentState>> managedDeployments() {
		return call(() -> Mono.fromSupplier(
				() -> this.deployments.values().stream().filter((d) -> d.labels().containsKey("host")).toList()));
	}

	@Override
	public Mono<Void> addMetadata(String namespace, String deployment, Map<String, String> labels,
			Map<String, String> annotations) {
		return write(() -> Mono.fromRunnable(() -> {
			this.writes.add("mark " + namespace + "/" + deployment);
			this.deployments.computeIfPresent(namespace + "/" + deployment, (key, d) -> {
				Map<String, String> allLabels = new HashMap<>(d.labels());
				allLabels.putAll(labels);
				Map<String, String> allAnnotations = new HashMap<>(d.annotations());
				allAnnotations.putAll(annotations);
				return new DeploymentState(d.namespace(), d.name(), d.replicas(), d.availableReplicas(), allLabels,
						allAnnotations, d.selector());
			});
		}));
	}

	@Override
	public Mono<Void> pointAtUnidler(ServiceState current, String externalName, Map<String, String> annotations) {
		return write(() -> Mono.fromRunnable(() -> {
			this.writes.add("point " + current.qualifiedName());
			this.services.computeIfPresent(current.qualifiedName(), (k, s) -> {
				Map<String, String> all = new HashMap<>(s.annotations());
				all.putAll(annotations);
				return new ServiceState(s.namespace(), s.name(),
						new ServiceSpec("ExternalName", Map.of(), s.spec().ports()), externalName, s.labels(), all);
			});
		}));
	}

	@Override
	public Mono<Void> scale(String namespace, String deployment, int replicas) {
		return write(() -> Mono.fromRunnable(() -> {
			this.writes.add("scale " + namespace + "/" + deployment + " " + replicas);
			this.deployments.computeIfPresent(namespace + "/" + deployment,
					(key, d) -> new DeploymentState(d.namespace(), d.name(), replicas,
							this.becomesAvailableWhenScaled ? replicas : d.availableReplicas(), d.labels(),
							d.annotations(), d.selector()));
			if (this.becomesAvailableWhenScaled) {
				this.endpoints.put(namespace + "/" + deployment, replicas);
			}
		}));
	}

	@Override
	public Mono<Void> removeMetadata(String namespace, String deployment, Set<String> labels, Set<String> annotations) {
		return write(() -> Mono.fromRunnable(() -> {
			this.writes.add("strip " + namespace + "/" + deployment);
			this.deployments.computeIfPresent(namespace + "/" + deployment, (key, d) -> {
				Map<String, String> keptLabels = new HashMap<>(d.labels());
				keptLabels.keySet().removeAll(labels);
				Map<String, String> keptAnnotations = new HashMap<>(d.annotations());
				keptAnnotations.keySet().removeAll(annotations);
				return new DeploymentState(d.namespace(), d.name(), d.replicas(), d.availableReplicas(), keptLabels,
						keptAnnotations, d.selector());
			});
		}));
	}

	@Override
	public Mono<Void> restoreService(ServiceState current, ServiceSpec spec, Set<String> annotations) {
		String namespace = current.namespace();
		String service = current.name();
		return write(() -> Mono.fromRunnable(() -> {
			this.writes.add("service " + namespace + "/" + service + " " + spec);
			this.services.computeIfPresent(namespace + "/" + service, (key, s) -> {
				Map<String, String> kept = new HashMap<>(s.annotations());
				kept.keySet().removeAll(annotations);
				return ServiceStates.of(s.namespace(), s.name(), spec.type(), null, spec.selector(),
						spec.ports().stream().map(ServiceSpec.Port::port).toList(), s.labels(), kept);
			});
		}));
	}

	@Override
	public Mono<List<PodProblem>> podProblems(String namespace, Map<String, String> selector) {
		this.podLists.incrementAndGet();
		return call(() -> Mono.fromSupplier(() -> new ArrayList<>(this.podProblems)));
	}

	@Override
	public Mono<Integer> readyEndpoints(String namespace, String service) {
		return call(() -> Mono.fromSupplier(() -> this.endpoints.getOrDefault(namespace + "/" + service, 0)));
	}

	@Override
	public Flux<?> deploymentChanges(String namespace, String deployment) {
		return this.changes.asFlux();
	}

	@Override
	public Flux<?> endpointChanges(String namespace, String service) {
		return Flux.never();
	}

}
