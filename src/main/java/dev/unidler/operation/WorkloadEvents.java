package dev.unidler.operation;

import java.util.Locale;

import dev.unidler.app.AppEvent;
import dev.unidler.app.AppEvent.Regarding;
import dev.unidler.app.AppEvent.Type;
import dev.unidler.app.AppEvents;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * What every operation tells {@code kubectl describe}: the one place that says which
 * Event each outcome records, with which reason, type and words. Pipelines call it from
 * the {@link OperationRun.Outcome} they already give their run.
 * <p>
 * Values that come from a request, a token file or the cluster (hosts, token names,
 * reasons, schedules, pod messages) go through {@link LogSafe}, so a line break or a
 * control character cannot make one Event read as two, and are cut short. Token values
 * never reach here: callers are named by their token's name.
 */
@Component
public final class WorkloadEvents {

	private static final Logger logger = LoggerFactory.getLogger(WorkloadEvents.class);

	/** Longest a restart reason or a schedule may be in a note. */
	static final int VALUE_LIMIT = 200;

	private final AppEvents events;

	public WorkloadEvents(AppEvents events) {
		this.events = events;
	}

	/**
	 * A wake that found its app ended.
	 * @param workload the app's Deployment
	 * @param host the host whose request woke it
	 * @param end the terminal event
	 */
	public void wakeEnded(Regarding workload, String host, OperationEvent end) {
		if (end.kind() == OperationEvent.Kind.READY) {
			record(workload, Reason.WOKEN, "Woken in " + seconds(end) + " for a request to " + safe(host));
		}
		else {
			record(workload, Reason.WAKE_FAILED,
					failed("Wake", end) + " for a request to " + safe(host) + ": " + safe(end.message()));
		}
	}

	/**
	 * An idle ended. An idle of an app that was idled already changed nothing and records
	 * nothing.
	 * @param workload the app's Deployment
	 * @param askedBy who asked: the token's name, or the schedule
	 * @param end the terminal event
	 * @param changed whether the idle changed the app (it was not idled already)
	 */
	public void idleEnded(Regarding workload, Requester askedBy, OperationEvent end, boolean changed) {
		if (end.kind() == OperationEvent.Kind.READY) {
			if (changed) {
				record(workload, Reason.IDLED, "Idled in " + seconds(end) + askedBy.phrase());
			}
		}
		else {
			record(workload, Reason.IDLE_FAILED, failed("Idle", end) + askedBy.phrase() + ": " + safe(end.message()));
		}
	}

	/**
	 * Kubernetes was asked for new pods.
	 * @param workload the Deployment or StatefulSet
	 * @param requestedBy the token's name
	 * @param reason why, as the caller said it
	 */
	public void restartRequested(Regarding workload, String requestedBy, String reason) {
		record(workload, Reason.RESTART_REQUESTED,
				"Restart requested by " + safe(requestedBy) + ": " + safe(reason, VALUE_LIMIT));
	}

	/**
	 * A restart ended: its rollout is done, or it failed.
	 * @param workload the Deployment or StatefulSet
	 * @param requestedBy the token's name
	 * @param end the terminal event
	 */
	public void restartEnded(Regarding workload, String requestedBy, OperationEvent end) {
		if (end.kind() == OperationEvent.Kind.READY) {
			record(workload, Reason.RESTARTED, "Restarted in " + seconds(end) + ", asked by " + safe(requestedBy)
					+ ": every pod is new and available");
		}
		else {
			record(workload, Reason.RESTART_FAILED,
					failed("Restart", end) + ", asked by " + safe(requestedBy) + ": " + safe(end.message()));
		}
	}

	/**
	 * Called where an operation ends: whatever goes wrong with an Event stays here, so
	 * the operation's own end is never lost to it.
	 */
	private void record(Regarding workload, Reason reason, String note) {
		try {
			this.events.record(new AppEvent(workload, reason.type, reason.value, reason.action, note));
		}
		catch (RuntimeException ex) {
			logger.warn("Could not record a {} Event on {}: {}", reason.value, workload, LogSafe.cause(ex));
		}
	}

	/** {@code Wake failed (app-cannot-start)}. */
	private static String failed(String operation, OperationEvent end) {
		FailureReason why = end.failure();
		String reason = (why != null) ? why.name().toLowerCase(Locale.ROOT).replace('_', '-') : "unknown";
		return operation + " failed (" + reason + ")";
	}

	/** {@code 3.2 s}, {@code 450 ms}. */
	static String seconds(OperationEvent end) {
		long millis = end.elapsedMillis();
		if (millis < 1000) {
			return millis + " ms";
		}
		return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
	}

	private static String safe(@Nullable String value) {
		return LogSafe.of(value);
	}

	/** One line, at most {@code limit} characters. */
	static String safe(@Nullable String value, int limit) {
		String safe = LogSafe.of(value);
		return (safe.length() > limit) ? safe.substring(0, limit) + "…" : safe;
	}

	/**
	 * Who asked for an operation, as an Event says it.
	 */
	public sealed interface Requester {

		/**
		 * The words after the verb, with their separator: {@code , asked by ci-deploy},
		 * {@code  on schedule (…)}.
		 */
		String phrase();

		/** A caller with a token, by the token's name. */
		record Token(String name) implements Requester {

			@Override
			public String phrase() {
				return ", asked by " + safe(this.name, VALUE_LIMIT);
			}

		}

		/**
		 * An idle schedule.
		 *
		 * @param cron the expression as the app's annotation has it
		 * @param zone its time zone
		 */
		record Schedule(String cron, String zone) implements Requester {

			@Override
			public String phrase() {
				return " on schedule (" + safe(this.cron, VALUE_LIMIT) + ", " + safe(this.zone, VALUE_LIMIT) + ")";
			}

		}

	}

	/**
	 * Every reason an Event of the unidler can have, with its type and action: the table
	 * the README shows.
	 */
	public enum Reason {

		WOKEN("Woken", Type.NORMAL, "Wake"),

		WAKE_FAILED("WakeFailed", Type.WARNING, "Wake"),

		IDLED("Idled", Type.NORMAL, "Idle"),

		IDLE_FAILED("IdleFailed", Type.WARNING, "Idle"),

		RESTART_REQUESTED("RestartRequested", Type.NORMAL, "Restart"),

		RESTARTED("Restarted", Type.NORMAL, "Restart"),

		RESTART_FAILED("RestartFailed", Type.WARNING, "Restart");

		private final String value;

		private final Type type;

		private final String action;

		Reason(String value, Type type, String action) {
			this.value = value;
			this.type = type;
			this.action = action;
		}

		/** As {@code kubectl} shows it: {@code WakeFailed}. */
		public String value() {
			return this.value;
		}

		public Type type() {
			return this.type;
		}

		public String action() {
			return this.action;
		}

	}

}
