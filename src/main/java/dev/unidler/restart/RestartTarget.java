package dev.unidler.restart;

import dev.unidler.app.AppKey;

/**
 * What a caller asked to restart: the app of a host, found by the lookup label as a wake
 * finds it, or one workload by name.
 */
public sealed interface RestartTarget {

	/**
	 * The app serving a host.
	 *
	 * @param key the host's lookup key
	 */
	record Host(AppKey key) implements RestartTarget {

	}

	/**
	 * One Deployment or StatefulSet.
	 *
	 * @param ref the workload
	 */
	record Named(WorkloadRef ref) implements RestartTarget {

	}

}
