package dev.unidler.restart;

import java.util.List;
import java.util.stream.Collectors;

import dev.unidler.UnidlerProperties;
import dev.unidler.operation.FailureReason;
import dev.unidler.operation.OperationFailure;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

/**
 * Finds the one workload a restart is for, and refuses one it must not touch. Changes
 * nothing.
 */
@Component
final class RestartLocator {

	static final String NOT_FOUND = "Application not found.";

	static final String TOO_MANY = "Too many Deployments found for application, can't process restart request.";

	private final Workloads workloads;

	private final String idledLabel;

	RestartLocator(Workloads workloads, UnidlerProperties properties) {
		this.workloads = workloads;
		this.idledLabel = properties.labels().idled();
	}

	/**
	 * The workload to restart.
	 * @param target what the caller named
	 * @return the workload, or an {@link OperationFailure}: unknown, ambiguous or idled
	 */
	Mono<Workload> locate(RestartTarget target) {
		return find(target).map(this::awake);
	}

	/**
	 * The workload a caller named, idled or not, for deciding whether the caller may know
	 * anything about it before saying more.
	 */
	Mono<Workload> find(RestartTarget target) {
		Mono<Workload> found = switch (target) {
			case RestartTarget.Host host -> this.workloads.find(host.key().value()).map((all) -> single(host, all));
			case RestartTarget.Named named -> this.workloads.get(named.ref());
		};
		return found.switchIfEmpty(Mono.error(() -> new OperationFailure(FailureReason.UNKNOWN_APP, NOT_FOUND)));
	}

	private static Workload single(RestartTarget.Host host, List<Workload> found) {
		if (found.isEmpty()) {
			throw new OperationFailure(FailureReason.UNKNOWN_APP, NOT_FOUND);
		}
		if (found.size() > 1) {
			throw new OperationFailure(FailureReason.AMBIGUOUS_APP, TOO_MANY,
					new IllegalStateException(found.size() + " workloads carry " + host.key().selector() + ": "
							+ found.stream().map((w) -> w.ref().toString()).collect(Collectors.joining(", "))));
		}
		return found.get(0);
	}

	/**
	 * A restart never wakes an idled app: that is the wake's job, on a person's request.
	 */
	Workload awake(Workload workload) {
		if (workload.labels().containsKey(this.idledLabel) || workload.rollout().desired() == 0) {
			throw new OperationFailure(FailureReason.APP_IDLED,
					"The application is idled, so it was not restarted: it starts afresh when it is next woken.");
		}
		return workload;
	}

}
