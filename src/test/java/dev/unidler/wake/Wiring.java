package dev.unidler.wake;

import java.time.Duration;
import java.util.List;

import dev.unidler.UnidlerProperties;
import dev.unidler.app.Cluster;
import dev.unidler.app.IdledMetadata;
import dev.unidler.app.InMemoryLeases;
import dev.unidler.app.SavedServiceSpecs;
import dev.unidler.app.UnidlerNames;
import dev.unidler.operation.AppClaims;
import dev.unidler.operation.AppLeases;
import dev.unidler.operation.CoordinationProperties;
import dev.unidler.operation.Outages;
import dev.unidler.operation.OperationListeners;
import dev.unidler.operation.WorkloadEvents;
import tools.jackson.databind.json.JsonMapper;

/**
 * Builds the wake's collaborators by hand, the way Spring wires them.
 */
final class Wiring {

	private Wiring() {
	}

	static WakeSteps steps(Cluster cluster, UnidlerProperties properties) {
		IdledMetadata idled = new IdledMetadata(properties);
		SavedServiceSpecs specs = new SavedServiceSpecs(JsonMapper.builder().build(), properties);
		return new WakeSteps(List.of(new RestoreReplicasStep(cluster, idled),
				new AwaitAvailableStep(cluster, properties), new StripIdledMetadataStep(cluster, idled),
				new RepointServiceStep(cluster, specs, new UnidlerNames(properties)),
				new AwaitRoutableStep(cluster, properties)));
	}

	static WakePipeline pipeline(Cluster cluster, UnidlerProperties properties) {
		IdledMetadata idled = new IdledMetadata(properties);
		SavedServiceSpecs specs = new SavedServiceSpecs(JsonMapper.builder().build(), properties);
		AppLocator locator = new AppLocator(cluster, idled, specs, new UnidlerNames(properties),
				new HostOwners(cluster, properties), properties);
		AppLeases leases = new AppLeases(new InMemoryLeases(),
				new CoordinationProperties("default", Duration.ofSeconds(15), Duration.ofMillis(100), "test"));
		// Events are proven on the control plane and in WorkloadEventsTests.
		return new WakePipeline(locator, steps(cluster, properties), new AppClaims(), leases, new Outages(properties),
				new WorkloadEvents((event) -> {
				}), OperationListeners.none(), properties);
	}

	static Wakes wakes(Cluster cluster, UnidlerProperties properties) {
		return new Wakes(pipeline(cluster, properties));
	}

}
