package dev.unidler.kubernetes;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.unidler.app.AppEvent;
import dev.unidler.app.AppEvents;
import dev.unidler.app.ClusterException;
import dev.unidler.operation.LogSafe;
import dev.unidler.restart.WorkloadRollout;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.apis.EventsV1Api;
import io.kubernetes.client.openapi.models.EventsV1Event;
import io.kubernetes.client.openapi.models.EventsV1EventSeries;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1ObjectReference;
import io.kubernetes.client.util.PatchUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@link AppEvents} on client-java, with the {@code events.k8s.io/v1} API: it has what a
 * controller's Event needs (the reporting controller and instance, the action, a
 * microsecond {@code eventTime}, {@code series} for repetitions) and Events written with
 * it are the ones {@code kubectl describe} and {@code kubectl events} show. The core
 * {@code v1} API would need the deprecated count and timestamps instead.
 * <p>
 * Fire and forget: {@link #record} decides the write at once ({@link EventSeries}) and
 * makes it on the bounded {@code kubernetes} scheduler, within a timeout, never on the
 * caller's thread. A failure is logged once at WARN, then at DEBUG until a write succeeds
 * again; it never reaches the operation.
 */
final class KubernetesEvents implements AppEvents {

	private static final Logger logger = LoggerFactory.getLogger(KubernetesEvents.class);

	private static final int NOT_FOUND = 404;

	private static final int INSTANCE_LIMIT = 128;

	/** The API's MicroTime: always six fractional digits. */
	private static final DateTimeFormatter MICRO_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX");

	private static final JsonMapper JSON = JsonMapper.shared();

	private final ApiClient client;

	private final EventsV1Api api;

	private final AppsV1Api apps;

	private final BlockingCalls calls;

	private final ClusterCache cache;

	private final EventSeries series;

	private final KubernetesEventsProperties settings;

	private final String instance;

	private final AtomicBoolean failing = new AtomicBoolean();

	KubernetesEvents(ApiClient client, BlockingCalls calls, ClusterCache cache, EventSeries series,
			KubernetesEventsProperties settings, String instance) {
		this.client = client;
		this.api = new EventsV1Api(client);
		this.apps = new AppsV1Api(client);
		this.calls = calls;
		this.cache = cache;
		this.series = series;
		this.settings = settings;
		this.instance = (instance.length() > INSTANCE_LIMIT) ? instance.substring(0, INSTANCE_LIMIT) : instance;
	}

	@Override
	public void record(AppEvent event) {
		if (!this.settings.enabled()) {
			return;
		}
		EventSeries.Write write = this.series.observe(event);
		if (write == null) {
			logger.debug("Skipped an Event on {}: its budget of writes is spent ({} {})", event.regarding(),
					event.reason(), LogSafe.of(event.note()));
			return;
		}
		// Subscribed here on purpose: nobody waits for an Event, and no outcome depends
		// on it.
		write(event, write).timeout(this.settings.timeout())
			.subscribe((done) -> succeeded(), (error) -> failed(event, error));
	}

	private Mono<EventsV1Event> write(AppEvent event, EventSeries.Write write) {
		if (write.create()) {
			return create(event, write);
		}
		// Created by a write still on its way, or gone: a new object carries the count.
		return patch(event, write).onErrorResume(
				(error) -> error instanceof ClusterException cluster && cluster.status() == NOT_FOUND,
				(error) -> create(event, write));
	}

	private Mono<EventsV1Event> create(AppEvent event, EventSeries.Write write) {
		AppEvent.Regarding regarding = event.regarding();
		return uid(regarding).flatMap((uid) -> {
			EventsV1Event body = new EventsV1Event()
				.metadata(new V1ObjectMeta().name(write.name()).namespace(regarding.namespace()))
				.eventTime(time(write.first()))
				.reportingController(this.settings.reportingController())
				.reportingInstance(this.instance)
				.action(event.action())
				.reason(event.reason())
				.type(event.type().value())
				.note(event.note())
				.regarding(new V1ObjectReference().apiVersion("apps/v1")
					.kind(regarding.kind())
					.namespace(regarding.namespace())
					.name(regarding.name())
					.uid(uid.orElse(null)));
			if (write.isSeries()) {
				body.series(
						new EventsV1EventSeries().count(write.count()).lastObservedTime(time(write.lastObserved())));
			}
			return this.calls.call("create Event " + regarding.namespace() + "/" + write.name(),
					() -> this.api.createNamespacedEvent(regarding.namespace(), body).execute());
		});
	}

	/** Only the series changes; everything else of an Event is immutable. */
	private Mono<EventsV1Event> patch(AppEvent event, EventSeries.Write write) {
		String namespace = event.regarding().namespace();
		ObjectNode body = JSON.createObjectNode();
		body.putObject("series")
			.put("count", write.count())
			.put("lastObservedTime", MICRO_TIME.format(time(write.lastObserved())));
		V1Patch patch = new V1Patch(JSON.writeValueAsString(body));
		return this.calls.call("patch Event " + namespace + "/" + write.name(),
				() -> PatchUtils.patch(EventsV1Event.class,
						() -> this.api.patchNamespacedEvent(write.name(), namespace, patch).buildCall(null),
						V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, this.client));
	}

	/**
	 * The workload's uid, which {@code kubectl describe} finds its Events by: from the
	 * cache of labelled workloads, else read; none when neither knows it (the Event is
	 * still written, by name).
	 */
	private Mono<Optional<String>> uid(AppEvent.Regarding regarding) {
		if (regarding.uid() != null) {
			return Mono.just(Optional.of(regarding.uid()));
		}
		String namespace = regarding.namespace();
		String name = regarding.name();
		boolean statefulSet = WorkloadRollout.STATEFUL_SET.equals(regarding.kind());
		Mono<V1ObjectMeta> cached = statefulSet
				? this.cache.statefulSet(namespace, name).mapNotNull((found) -> found.getMetadata())
				: this.cache.deployment(namespace, name).mapNotNull((found) -> found.getMetadata());
		Mono<V1ObjectMeta> read = statefulSet
				? this.calls
					.call("read " + regarding, () -> this.apps.readNamespacedStatefulSet(name, namespace).execute())
					.mapNotNull((found) -> found.getMetadata())
				: this.calls
					.call("read " + regarding, () -> this.apps.readNamespacedDeployment(name, namespace).execute())
					.mapNotNull((found) -> found.getMetadata());
		return cached.switchIfEmpty(read)
			.map((metadata) -> Optional.ofNullable(metadata.getUid()))
			.onErrorReturn(ClusterException.class, Optional.empty())
			.defaultIfEmpty(Optional.empty());
	}

	private static OffsetDateTime time(Instant instant) {
		return instant.truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
	}

	private void succeeded() {
		if (this.failing.compareAndSet(true, false)) {
			logger.info("Kubernetes Events are recorded again");
		}
	}

	private void failed(AppEvent event, Throwable error) {
		if (this.failing.compareAndSet(false, true)) {
			logger.warn(
					"Could not record an Event on {} ({}); operations go on without their Events, and further "
							+ "failures are logged at DEBUG until one is recorded: {}",
					event.regarding(), event.reason(), LogSafe.cause(error));
		}
		else {
			logger.debug("Could not record an Event on {} ({}): {}", event.regarding(), event.reason(),
					LogSafe.cause(error));
		}
	}

}
