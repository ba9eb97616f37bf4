package dev.unidler.admin;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import dev.unidler.UnidlerProperties;
import dev.unidler.access.Action;
import dev.unidler.access.AppRef;
import dev.unidler.access.Caller;
import dev.unidler.access.Callers;
import dev.unidler.access.OptIn;
import dev.unidler.restart.Workload;
import dev.unidler.restart.Workloads;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * {@code GET /api/v1/apps}: the apps the caller may restart, with their state and the
 * path that restarts each. Apps the caller may not restart are not listed at all.
 */
@Component
final class AppsHandler {

	private final Workloads workloads;

	private final OptIn optIn;

	private final String lookupLabel;

	private final String idledLabel;

	AppsHandler(Workloads workloads, OptIn optIn, UnidlerProperties properties) {
		this.workloads = workloads;
		this.optIn = optIn;
		this.lookupLabel = properties.labels().lookup();
		this.idledLabel = properties.labels().idled();
	}

	Mono<ServerResponse> list(ServerRequest request) {
		return Callers.current()
			.flatMap((caller) -> this.workloads.managed().map((all) -> visible(caller, all)))
			.flatMap((apps) -> ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(new AppList(apps)))
			.switchIfEmpty(ServerResponse.status(HttpStatus.UNAUTHORIZED)
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(Answer.error("A bearer token is required.")));
	}

	private List<AppItem> visible(Caller caller, List<Workload> all) {
		return all.stream().filter((workload) -> {
			AppRef app = appRef(workload);
			return this.optIn.allows(Action.RESTART, app, workload.labels(), workload.annotations())
					&& caller.may(Action.RESTART, app);
		}).map(this::item).sorted(Comparator.comparing(AppItem::namespace).thenComparing(AppItem::name)).toList();
	}

	private AppRef appRef(Workload workload) {
		return new AppRef(workload.ref().kind(), workload.ref().namespace(), workload.ref().name(),
				Optional.ofNullable(workload.labels().get(this.lookupLabel)).orElse(null));
	}

	private AppItem item(Workload workload) {
		boolean idled = workload.labels().containsKey(this.idledLabel) || workload.rollout().desired() == 0;
		return new AppItem(workload.ref().kind(), workload.ref().namespace(), workload.ref().name(),
				workload.labels().get(this.lookupLabel), idled ? "idled" : "awake", workload.rollout().desired(),
				workload.rollout().available(), "/api/v1/namespaces/" + workload.ref().namespace() + "/"
						+ WorkloadKinds.toPath(workload.ref().kind()) + "/" + workload.ref().name() + "/restart");
	}

	/**
	 * The answer.
	 *
	 * @param apps the apps, by namespace and name
	 */
	record AppList(List<AppItem> apps) {

	}

	/**
	 * One app.
	 *
	 * @param kind {@code Deployment} or {@code StatefulSet}
	 * @param namespace its namespace
	 * @param name its name
	 * @param host its lookup label's value
	 * @param state {@code awake} or {@code idled}
	 * @param replicas desired replicas
	 * @param available available replicas
	 * @param restart the path that restarts it ({@code POST})
	 */
	record AppItem(String kind, String namespace, String name, String host, String state, int replicas, int available,
			String restart) {

	}

}
