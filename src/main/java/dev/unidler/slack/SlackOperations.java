package dev.unidler.slack;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import dev.unidler.UnidlerProperties;
import dev.unidler.access.Action;
import dev.unidler.access.AppRef;
import dev.unidler.access.Caller;
import dev.unidler.access.OptIn;
import dev.unidler.app.AppKey;
import dev.unidler.app.AppKeys;
import dev.unidler.idle.IdleApp;
import dev.unidler.idle.IdleTarget;
import dev.unidler.idle.Idles;
import dev.unidler.operation.FailureReason;
import dev.unidler.operation.Operation;
import dev.unidler.operation.OperationFailure;
import dev.unidler.restart.RestartTarget;
import dev.unidler.restart.Restarts;
import dev.unidler.restart.Workload;
import dev.unidler.restart.WorkloadRef;
import dev.unidler.restart.WorkloadRollout;
import dev.unidler.restart.Workloads;
import dev.unidler.wake.Wakes;
import dev.unidler.web.RequestHosts;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * What a Slack user's command does, through the same engine and rules as the admin API:
 * the app is found first, then the user must be allowed the operation on it and the app
 * must have opted in, or the answer is the one for an app that does not exist. The
 * operation is then started or, when one runs for the app, joined: the engine runs one at
 * a time per app, however many commands, requests and pages ask.
 */
final class SlackOperations {

	private static final Logger logger = LoggerFactory.getLogger(SlackOperations.class);

	private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

	/** Apps a status lists at most, so the message stays readable. */
	static final int STATUS_LIMIT = 40;

	private final Wakes wakes;

	private final Idles idles;

	private final Restarts restarts;

	private final Workloads workloads;

	private final OptIn optIn;

	private final AppKeys keys;

	private final String lookupLabel;

	private final String idledLabel;

	SlackOperations(Wakes wakes, Idles idles, Restarts restarts, Workloads workloads, OptIn optIn, AppKeys keys,
			UnidlerProperties properties) {
		this.wakes = wakes;
		this.idles = idles;
		this.restarts = restarts;
		this.workloads = workloads;
		this.optIn = optIn;
		this.keys = keys;
		this.lookupLabel = properties.labels().lookup();
		this.idledLabel = properties.labels().idled();
	}

	/**
	 * Starts or joins an operation.
	 * @param action what to do
	 * @param target the app as typed: a host or {@code namespace/name}
	 * @param reason why (restarts record it)
	 * @param caller the Slack user
	 * @return the operation; or {@link Refusal} saying why not, never naming an app the
	 * user may not see
	 */
	Mono<Operation> start(Action action, String target, @Nullable String reason, Caller caller) {
		String who = "slack:" + caller.name();
		Mono<Operation> started = switch (action) {
			case WAKE -> idleTarget(target).flatMap(this.idles::find)
				.flatMap((app) -> permitted(action, caller, app).thenReturn(app))
				.map((app) -> this.wakes.wake(app.key()));
			case IDLE -> idleTarget(target).flatMap(this.idles::find)
				.flatMap((app) -> permitted(action, caller, app).thenReturn(app))
				.map((app) -> this.idles.request(app, who));
			case RESTART -> restartTarget(target)
				.flatMap((named) -> findWorkload(named)
					.flatMap((workload) -> permitted(action, caller, workload, named).thenReturn(named)))
				.flatMap((named) -> this.restarts.request(named, reason, who));
		};
		return started.onErrorMap(OperationFailure.class, (failure) -> refusal(action, target, failure));
	}

	/**
	 * The apps a user may see, with their state; those whose name matches, if any is
	 * given.
	 */
	Mono<List<AppLine>> status(@Nullable String filter, Caller caller) {
		return this.workloads.managed()
			.map((all) -> all.stream()
				.filter((workload) -> matches(filter, workload))
				.map((workload) -> line(caller, workload))
				.flatMap(Optional::stream)
				.sorted(Comparator.comparing(AppLine::app))
				.toList());
	}

	private Mono<IdleTarget> idleTarget(String target) {
		int slash = target.indexOf('/');
		if (slash >= 0) {
			return named(target).map((ref) -> new IdleTarget.Named(ref[0], ref[1]));
		}
		return host(target).map(IdleTarget.Host::new);
	}

	private Mono<RestartTarget> restartTarget(String target) {
		if (target.indexOf('/') >= 0) {
			return named(target)
				.map((ref) -> new RestartTarget.Named(new WorkloadRef(WorkloadRollout.DEPLOYMENT, ref[0], ref[1])));
		}
		return host(target).map(RestartTarget.Host::new);
	}

	/**
	 * A Deployment by name, or a StatefulSet of that name when there is no such
	 * Deployment.
	 */
	private Mono<Workload> findWorkload(RestartTarget target) {
		if (!(target instanceof RestartTarget.Named named)) {
			return this.restarts.find(target);
		}
		WorkloadRef statefulSet = new WorkloadRef(WorkloadRollout.STATEFUL_SET, named.ref().namespace(),
				named.ref().name());
		return this.restarts.find(target)
			.onErrorResume(
					(error) -> error instanceof OperationFailure failure
							&& failure.reason() == FailureReason.UNKNOWN_APP,
					(error) -> this.restarts.find(new RestartTarget.Named(statefulSet)));
	}

	private Mono<AppKey> host(String target) {
		return Mono.justOrEmpty(RequestHosts.parse(target))
			.map(this.keys::forHost)
			.switchIfEmpty(Mono.error(() -> new OperationFailure(FailureReason.UNKNOWN_APP, "not a host")));
	}

	private static Mono<String[]> named(String target) {
		String[] parts = target.toLowerCase(Locale.ROOT).split("/", -1);
		if (parts.length != 2 || !NAME.matcher(parts[0]).matches() || !NAME.matcher(parts[1]).matches()) {
			return Mono.error(new OperationFailure(FailureReason.UNKNOWN_APP, "not namespace/name"));
		}
		return Mono.just(parts);
	}

	private Mono<Void> permitted(Action action, Caller caller, IdleApp app) {
		AppRef ref = new AppRef(WorkloadRollout.DEPLOYMENT, app.namespace(), app.deployment().name(),
				app.key().value());
		return permitted(action, caller, ref, app.deployment().labels(), app.deployment().annotations());
	}

	private Mono<Void> permitted(Action action, Caller caller, Workload workload, RestartTarget target) {
		String host = (target instanceof RestartTarget.Host byHost) ? byHost.key().host()
				: workload.labels().get(this.lookupLabel);
		AppRef ref = new AppRef(workload.ref().kind(), workload.ref().namespace(), workload.ref().name(), host);
		return permitted(action, caller, ref, workload.labels(), workload.annotations());
	}

	private Mono<Void> permitted(Action action, Caller caller, AppRef app, Map<String, String> labels,
			Map<String, String> annotations) {
		if (this.optIn.allows(action, app, labels, annotations) && caller.may(action, app)) {
			return Mono.empty();
		}
		logger.info("Refused to {} {}/{}/{} to Slack user {}", SlackMessages.name(action), app.kind(), app.namespace(),
				app.name(), caller.name());
		return Mono.error(new OperationFailure(FailureReason.UNKNOWN_APP, "not permitted"));
	}

	/**
	 * An app that is not there, is not the user's to see, or is one of several: alike.
	 */
	private static Refusal refusal(Action action, String target, OperationFailure failure) {
		if (failure.reason() == FailureReason.UNKNOWN_APP || failure.reason() == FailureReason.AMBIGUOUS_APP) {
			return new Refusal(notFound(action, target));
		}
		if (failure.reason() == FailureReason.CLUSTER_ERROR) {
			logger.warn("Could not {} {} for a Slack command: {}", SlackMessages.name(action), target,
					failure.getMessage(), failure.getCause());
			return new Refusal("The unidler could not reach Kubernetes to " + SlackMessages.name(action) + " "
					+ SlackMessages.code(target) + "; try again in a moment.");
		}
		return new Refusal("Cannot " + SlackMessages.name(action) + " " + SlackMessages.code(target) + ": "
				+ SlackMessages.escape(failure.getMessage()));
	}

	static String notFound(Action action, String target) {
		return "No app you may " + SlackMessages.name(action) + " answers to " + SlackMessages.code(target)
				+ ". Name it by its host or as `namespace/name`.";
	}

	private Optional<AppLine> line(Caller caller, Workload workload) {
		WorkloadRef ref = workload.ref();
		String host = workload.labels().get(this.lookupLabel);
		AppRef app = new AppRef(ref.kind(), ref.namespace(), ref.name(), host);
		Set<Action> may = EnumSet.noneOf(Action.class);
		for (Action action : Action.values()) {
			boolean applies = action != Action.WAKE || WorkloadRollout.DEPLOYMENT.equals(ref.kind());
			if (applies && this.optIn.allows(action, app, workload.labels(), workload.annotations())
					&& caller.may(action, app)) {
				may.add(action);
			}
		}
		if (may.isEmpty()) {
			return Optional.empty();
		}
		String state;
		if (host != null && this.wakes.isWaking(host)) {
			state = "waking";
		}
		else if (workload.labels().containsKey(this.idledLabel) || workload.rollout().desired() == 0) {
			state = "idled";
		}
		else {
			state = "awake";
		}
		List<String> actions = new ArrayList<>();
		may.forEach((action) -> actions.add(SlackMessages.name(action)));
		return Optional.of(new AppLine(ref.namespace() + "/" + ref.name(), host, state, workload.rollout().available(),
				workload.rollout().desired(), actions));
	}

	private boolean matches(@Nullable String filter, Workload workload) {
		if (filter == null || filter.isBlank()) {
			return true;
		}
		String wanted = filter.toLowerCase(Locale.ROOT);
		WorkloadRef ref = workload.ref();
		String host = workload.labels().get(this.lookupLabel);
		return wanted.equals(ref.namespace()) || wanted.equals(ref.namespace() + "/" + ref.name())
				|| wanted.equals(host) || (host != null && host.startsWith(wanted + "."));
	}

	/**
	 * One app of a status.
	 *
	 * @param app {@code namespace/name}
	 * @param host the host it serves, when it has one
	 * @param state {@code awake}, {@code idled} or {@code waking}
	 * @param available available replicas
	 * @param desired desired replicas
	 * @param actions what the user may do to it
	 */
	record AppLine(String app, @Nullable String host, String state, int available, int desired, List<String> actions) {

	}

	/** A command that is not carried out, with what the user is told. */
	static final class Refusal extends RuntimeException {

		Refusal(String message) {
			super(message, null, false, false);
		}

	}

}
