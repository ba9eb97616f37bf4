package dev.unidler.fleet;

import java.util.Locale;

/**
 * What an app is doing, as the console shows it and a gauge counts it. One state per app:
 * an operation running wins, then a failed last operation, then what the cluster says.
 */
public enum AppState {

	/** Serving: replicas asked for, no idled marks, its Service routes to its pods. */
	AWAKE,

	/**
	 * Asleep as the idled-state contract says: marked, 0 replicas, Service at the
	 * unidler.
	 */
	IDLED,

	/** A wake runs here. */
	WAKING,

	/** An idle runs here. */
	IDLING,

	/** A restart runs here. */
	RESTARTING,

	/** The last operation here failed; the next one that succeeds clears it. */
	FAILED,

	/**
	 * Half-woken or half-idled: the workload, its marks and its Service disagree (see
	 * {@link AppStatus#drift()}). A wake finishes it.
	 */
	DRIFTED,

	/**
	 * 0 replicas without any idled mark, behind a Service that does not point at the
	 * unidler: stopped on purpose, which no wake undoes.
	 */
	STOPPED;

	/** Its name in JSON, pages and metric labels: {@code awake}, {@code drifted}. */
	public String id() {
		return name().toLowerCase(Locale.ROOT);
	}

}
