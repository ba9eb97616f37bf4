package dev.unidler.restart;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.unidler.operation.Progress;
import dev.unidler.operation.Step;
import reactor.core.publisher.Flux;

import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Changes the pod template the way {@code kubectl rollout restart} does, and records the
 * restarter's time and reason on the workload and its template, so that tools built for
 * either keep working. Looks first: a run resumed after its patch does not patch again.
 */
@Component
@Order(100)
final class RequestRestartStep implements Step<Restart> {

	static final String NAME = "request-restart";

	private final Workloads workloads;

	private final RestartProperties settings;

	RequestRestartStep(Workloads workloads, RestartProperties settings) {
		this.workloads = workloads;
		this.settings = settings;
	}

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public String description() {
		return "Ask Kubernetes to replace the pods";
	}

	@Override
	public Flux<Progress> run(Restart restart) {
		return this.workloads.get(restart.ref()).flatMapMany((workload) -> {
			if (restart.restartedAt()
				.equals(workload.templateAnnotations().get(RestartProperties.KUBECTL_RESTARTED_AT))) {
				return Flux.just(Progress.of("Already asked"));
			}
			Map<String, String> stamp = new LinkedHashMap<>();
			stamp.put(this.settings.restartedAtAnnotation(), restart.restartedAt());
			stamp.put(this.settings.reasonAnnotation(), restart.reason());
			Map<String, String> template = new LinkedHashMap<>(stamp);
			template.put(RestartProperties.KUBECTL_RESTARTED_AT, restart.restartedAt());
			return this.workloads.restart(restart.ref(), stamp, template)
				.thenReturn(Progress.of("Asked for new pods"))
				.flux();
		});
	}

}
