package dev.unidler.operation;

/**
 * Why an operation failed, in a form a client can act on.
 */
public enum FailureReason {

	/** No app carries the host's lookup label. */
	UNKNOWN_APP,

	/** More than one Deployment or Service carries it. */
	AMBIGUOUS_APP,

	/** The app's idled metadata cannot be acted on. */
	INVALID_APP,

	/**
	 * The app is idled: an operation that needs it awake (a restart) leaves it as it is.
	 */
	APP_IDLED,

	/** Another operation runs on the app in this instance. */
	BUSY,

	/**
	 * The app is not idled, and not half-woken either: stopped on purpose, or its Service
	 * points somewhere other than the unidler. Nothing is changed.
	 */
	NOT_IDLED,

	/** Its pods cannot start and will not by waiting. */
	APP_CANNOT_START,

	/** It did not finish within its deadline. */
	DEADLINE,

	/** Kubernetes refused, or did not answer until the deadline. */
	CLUSTER_ERROR,

	/** The unidler is shutting down. */
	SHUTTING_DOWN

}
