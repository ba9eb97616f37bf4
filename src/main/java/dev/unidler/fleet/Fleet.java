package dev.unidler.fleet;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import dev.unidler.UnidlerProperties;
import dev.unidler.app.Inventory;
import dev.unidler.app.ServiceState;
import dev.unidler.app.WorkloadState;
import dev.unidler.idle.IdleProperties;
import dev.unidler.operation.LogSafe;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Every app the unidler manages, with its state, kept up to date as things happen: a
 * labelled workload or Service changing in the informer cache, an operation starting,
 * finding its app or ending (heard as an operation listener). Never polls the API.
 *
 * <p>
 * Changes that arrive together are handled together: the fleet is looked at again at most
 * once per {@link #COALESCE}, whatever the burst (a thousand apps waking at once), and
 * only the apps whose status changed are announced. A look reads memory (the cache) and
 * classifies each app in microseconds, so even 1,000 apps cost a millisecond or so.
 *
 * <p>
 * What it knows of operations is this instance's: with several replicas, an app woken by
 * another replica shows as waking only in that replica's view, and as its workload
 * changes in every view.
 */
@Component
public final class Fleet implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(Fleet.class);

	/** Longest a change waits to be looked at with the others of its burst. */
	static final Duration COALESCE = Duration.ofMillis(100);

	private static final Comparator<AppStatus> ORDER = Comparator.comparing(AppStatus::namespace)
		.thenComparing(AppStatus::name)
		.thenComparing(AppStatus::kind);

	private final Inventory inventory;

	private final OperationsSeen operations;

	private final AppStates states;

	private final String lookupLabel;

	private final Sinks.Many<FleetChange> changes = Sinks.many().multicast().directBestEffort();

	private final Sinks.One<Boolean> firstLook = Sinks.one();

	private volatile Map<String, AppStatus> apps = Map.of();

	private volatile @Nullable Disposable following;

	Fleet(Inventory inventory, OperationsSeen operations, UnidlerProperties properties, IdleProperties idle) {
		this.inventory = inventory;
		this.operations = operations;
		this.states = new AppStates(properties, idle);
		this.lookupLabel = properties.labels().lookup();
	}

	/** Every app, by namespace and name, as of the last look. */
	public List<AppStatus> snapshot() {
		return List.copyOf(this.apps.values());
	}

	/**
	 * How many apps are in each state, as of the last look; a state no app is in is left
	 * out. From memory: a metrics scrape reads it.
	 */
	public Map<AppState, Long> countsByState() {
		Map<AppState, Long> counts = new EnumMap<>(AppState.class);
		for (AppStatus app : this.apps.values()) {
			counts.merge(app.state(), 1L, Long::sum);
		}
		return counts;
	}

	/** One app by its {@link AppStatus#id()}. */
	public Optional<AppStatus> app(String id) {
		return Optional.ofNullable(this.apps.get(id));
	}

	/**
	 * The apps whose status changed, as they change. Never completes. A subscriber that
	 * cannot keep up misses changes: it should read {@link #snapshot()} again.
	 */
	public Flux<FleetChange> changes() {
		return this.changes.asFlux();
	}

	/** Completes once the fleet has been looked at once: {@link #snapshot()} is whole. */
	public Mono<Void> ready() {
		return this.firstLook.asMono().then();
	}

	@Override
	public void start() {
		// Subscribed before the first look, so that nothing between the two is missed.
		this.following = Flux.merge(this.inventory.changes(), this.operations.changes(), Flux.just("start"))
			.sample(COALESCE)
			.onBackpressureLatest()
			.concatMap((signal) -> look().onErrorResume((ex) -> {
				logger.warn("Could not look at the apps: {}", LogSafe.cause(ex));
				return Mono.empty();
			}), 1)
			.subscribe();
	}

	/** Reads every app and announces those that changed. */
	private Mono<Void> look() {
		return this.inventory.snapshot().doOnNext(this::update).then();
	}

	void update(Inventory.Snapshot snapshot) {
		Map<String, List<ServiceState>> services = new HashMap<>();
		for (ServiceState service : snapshot.services()) {
			String value = service.labels().get(this.lookupLabel);
			if (value != null) {
				services.computeIfAbsent(service.namespace() + "/" + value, (key) -> new ArrayList<>()).add(service);
			}
		}
		List<AppStatus> now = new ArrayList<>(snapshot.workloads().size());
		for (WorkloadState workload : snapshot.workloads()) {
			String value = workload.labels().get(this.lookupLabel);
			List<ServiceState> own = (value != null)
					? services.getOrDefault(workload.namespace() + "/" + value, List.of()) : List.of();
			String app = workload.qualifiedName();
			now.add(this.states.classify(workload, own, this.operations.running(app), this.operations.last(app),
					this.operations.lastWake(app)));
		}
		now.sort(ORDER);
		Map<String, AppStatus> next = new LinkedHashMap<>();
		now.forEach((status) -> next.put(status.id(), status));
		Map<String, AppStatus> before = this.apps;
		this.apps = next;
		this.firstLook.tryEmitValue(true);
		// Only this method emits, one look at a time.
		next.forEach((id, status) -> {
			if (!Objects.equals(before.get(id), status)) {
				this.changes.tryEmitNext(new FleetChange(id, status));
			}
		});
		before.keySet()
			.stream()
			.filter((id) -> !next.containsKey(id))
			.forEach((id) -> this.changes.tryEmitNext(new FleetChange(id, null)));
	}

	@Override
	public void stop() {
		Disposable running = this.following;
		if (running != null) {
			running.dispose();
		}
		this.following = null;
	}

	@Override
	public boolean isRunning() {
		return this.following != null;
	}

}
