package dev.unidler.bench;

import java.time.Duration;
import java.util.List;

/**
 * The sizes of one benchmark run. {@link #full()} is {@code make bench}; {@link #brief()}
 * is the short form the build runs on every {@code ./mvnw verify}, so that the benchmark
 * cannot rot: the same scenarios with small numbers, seconds instead of minutes.
 *
 * @param mode {@code full} or {@code short}
 * @param startUpRuns fresh processes timed from start to healthy
 * @param latencyRuns wakes per subscriber count (each a new app)
 * @param subscribers subscribers of one app's wake, per scenario
 * @param unknownHosts requests for hosts no app has
 * @param awakeRequests requests for a host whose app is awake
 * @param waitingClients event streams held open on one waiting app
 * @param heartbeat the heartbeat interval while they wait
 * @param hold how long they are held open before they are counted
 * @param fleet different apps woken at once
 * @param labelledApps idled apps created for the heap figure
 * @param renderConnections concurrent connections asking for waiting pages
 * @param renderTime how long each closed loop of page requests runs
 * @param renderRuns loops per connection count
 * @param fleetTimeout the longest the fleet may take to be ready
 */
record BenchSettings(String mode, int startUpRuns, int latencyRuns, List<Integer> subscribers, int unknownHosts,
		int awakeRequests, int waitingClients, Duration heartbeat, Duration hold, int fleet, int labelledApps,
		List<Integer> renderConnections, Duration renderTime, int renderRuns, Duration fleetTimeout) {

	static BenchSettings full() {
		return new BenchSettings("full", 3, 3, List.of(1, 30, 1_000), 1_000, 1_000, 10_000, Duration.ofSeconds(1),
				Duration.ofSeconds(10), 1_000, 10_000, List.of(10, 100), Duration.ofSeconds(4), 3,
				Duration.ofMinutes(4));
	}

	static BenchSettings brief() {
		return new BenchSettings("short", 1, 1, List.of(1, 30), 50, 50, 100, Duration.ofSeconds(1),
				Duration.ofSeconds(2), 10, 100, List.of(10, 100), Duration.ofMillis(500), 1, Duration.ofMinutes(1));
	}

	static BenchSettings of(String mode) {
		return switch (mode) {
			case "full" -> full();
			case "short" -> brief();
			default -> throw new IllegalArgumentException("Unknown mode " + mode + ": full or short");
		};
	}

	/** The most subscribers of one wake. */
	int mostSubscribers() {
		return this.subscribers.get(this.subscribers.size() - 1);
	}

}
