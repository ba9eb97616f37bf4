package dev.unidler.wake;

import java.util.Map;

import dev.unidler.UnidlerProperties;

/**
 * Wakes in known situations, for tests outside this package.
 */
public final class WakesForTests {

	private WakesForTests() {
	}

	/** A wake whose app never becomes available. */
	public static Stuck stuckInAwaitAvailable(UnidlerProperties properties) {
		FakeCluster cluster = new FakeCluster().manualAvailability()
			.idledApp("ns", "app1", "app1.example.test", Map.of());
		return new Stuck(Wiring.wakes(cluster, properties), cluster);
	}

	/** The steps as Spring orders them. */
	public static WakeSteps steps(UnidlerProperties properties) {
		return Wiring.steps(new FakeCluster(), properties);
	}

	/** Every wake fails: no app is registered. */
	public static Wakes unknownApp(UnidlerProperties properties) {
		return Wiring.wakes(new FakeCluster(), properties);
	}

	/**
	 * @param wakes the registry
	 * @param cluster the cluster behind it
	 */
	public record Stuck(Wakes wakes, FakeCluster cluster) {

	}

}
