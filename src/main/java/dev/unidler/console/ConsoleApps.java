package dev.unidler.console;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.unidler.access.AccessProperties;
import dev.unidler.access.Action;
import dev.unidler.access.AppRef;
import dev.unidler.access.Caller;
import dev.unidler.access.OptIn;
import dev.unidler.fleet.AppStatus;
import dev.unidler.fleet.Outcome;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

/**
 * What one caller sees of an app in the console: the app, and for each action whether the
 * caller may take it, or why not. A caller sees exactly the apps it may do something to
 * (the rule of the admin API and of chat): the others are never sent, not even their
 * names.
 */
@Component
final class ConsoleApps {

	private final OptIn optIn;

	private final String optInKey;

	ConsoleApps(OptIn optIn, AccessProperties access) {
		this.optIn = optIn;
		this.optInKey = access.optIn();
	}

	/** The app as this caller sees it; empty when it may do nothing to it. */
	Optional<AppView> view(Caller caller, AppStatus app) {
		AppRef ref = new AppRef(app.kind(), app.namespace(), app.name(), app.host());
		Map<String, ActionView> actions = new LinkedHashMap<>();
		boolean any = false;
		for (ConsoleAction action : ConsoleAction.values()) {
			String refusal = refusal(caller, app, ref, action);
			any |= refusal == null;
			actions.put(action.id(), new ActionView(action.path(app), refusal));
		}
		if (!any) {
			return Optional.empty();
		}
		Outcome lastWake = app.lastWake();
		Outcome last = app.lastOutcome();
		return Optional.of(new AppView(app.id(), app.kind(), app.namespace(), app.name(), app.host(), app.state().id(),
				app.drift(), app.desired(), app.available(), app.idledSince(),
				(lastWake != null) ? lastWake.at() : null, (lastWake != null) ? lastWake.elapsedMillis() : null,
				(last != null) ? OutcomeView.of(last) : null, app.idleSchedule(), app.idleTimeZone(), actions));
	}

	/** Why the caller may not take this action on the app; {@code null} when it may. */
	private @Nullable String refusal(Caller caller, AppStatus app, AppRef ref, ConsoleAction action) {
		if (action.action() != Action.RESTART && !"Deployment".equals(app.kind())) {
			return "Only Deployments can be " + action.done() + ": a " + app.kind() + " has no idled state.";
		}
		if (!caller.may(action.action(), ref)) {
			return "Your sign-in does not allow you to " + action.verb() + " this app.";
		}
		if (!this.optIn.allows(action.action(), ref, app.labels(), app.annotations())) {
			return "The app has not opted in to " + action.verb() + " (" + this.optInKey + ": "
					+ action.action().name().toLowerCase(Locale.ROOT) + ").";
		}
		return null;
	}

	/**
	 * The actions the console offers. Repair is a wake: every step of a wake looks before
	 * it writes, so it finishes a half-woken app from wherever it stands, and an app
	 * awake already is left as it is.
	 */
	enum ConsoleAction {

		WAKE(Action.WAKE, "wake", "wake", "woken"), IDLE(Action.IDLE, "idle", "idle", "idled"),
		RESTART(Action.RESTART, "restart", "restart", "restarted"), REPAIR(Action.WAKE, "wake", "repair", "repaired");

		private final Action action;

		private final String endpoint;

		private final String verb;

		private final String done;

		ConsoleAction(Action action, String endpoint, String verb, String done) {
			this.action = action;
			this.endpoint = endpoint;
			this.verb = verb;
			this.done = done;
		}

		String done() {
			return this.done;
		}

		Action action() {
			return this.action;
		}

		String id() {
			return this.verb;
		}

		String verb() {
			return this.verb;
		}

		String path(AppStatus app) {
			String kind = "StatefulSet".equals(app.kind()) ? "statefulsets" : "deployments";
			return "/api/v1/namespaces/" + app.namespace() + "/" + kind + "/" + app.name() + "/" + this.endpoint;
		}

	}

	/**
	 * One app, as the console's script reads it.
	 *
	 * @param id unique among the apps
	 * @param kind {@code Deployment} or {@code StatefulSet}
	 * @param namespace its namespace
	 * @param name its name
	 * @param host its lookup label's value
	 * @param state its state's id
	 * @param drift what is inconsistent
	 * @param desired desired replicas
	 * @param available available replicas
	 * @param idledSince when it was idled
	 * @param lastWakeAt when the last wake here ended
	 * @param lastWakeMillis how long it took
	 * @param lastOutcome how the last operation here ended
	 * @param idleSchedule its idle schedule
	 * @param idleTimeZone the schedule's time zone
	 * @param actions each action's endpoint, and why the caller may not take it
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record AppView(String id, String kind, String namespace, String name, @Nullable String host, String state,
			List<String> drift, int desired, int available, @Nullable Instant idledSince, @Nullable Instant lastWakeAt,
			@Nullable Long lastWakeMillis, @Nullable OutcomeView lastOutcome, @Nullable String idleSchedule,
			@Nullable String idleTimeZone, Map<String, ActionView> actions) {

	}

	/**
	 * How the last operation ended.
	 *
	 * @param operation {@code wake}, {@code idle} or {@code restart}
	 * @param succeeded whether it did what was asked
	 * @param message its last words
	 * @param at when it ended
	 */
	record OutcomeView(String operation, boolean succeeded, String message, Instant at) {

		static OutcomeView of(Outcome outcome) {
			return new OutcomeView(outcome.kind().id(), outcome.succeeded(), outcome.message(), outcome.at());
		}

	}

	/**
	 * One action on one app.
	 *
	 * @param path the admin API's endpoint ({@code POST})
	 * @param refused why the caller may not take it; absent when it may
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record ActionView(String path, @Nullable String refused) {

	}

}
