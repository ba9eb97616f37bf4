package dev.unidler.wake;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.unidler.UnidlerProperties;
import dev.unidler.app.AppKey;
import dev.unidler.app.Cluster;
import dev.unidler.app.DeploymentState;
import dev.unidler.app.IdledMetadata;
import dev.unidler.app.SavedServiceSpecs;
import dev.unidler.app.ServiceState;
import dev.unidler.app.UnidlerNames;
import dev.unidler.operation.FailureReason;
import dev.unidler.operation.LogSafe;
import dev.unidler.operation.OperationFailure;
import dev.unidler.wake.HostOwners.Candidates;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

/**
 * Finds the one Deployment and the one Service of an app, cluster-wide, and plans what
 * they get back. Changes nothing: a wake that cannot go ahead fails here, before any
 * write.
 * <p>
 * Only what is idled wakes: a Deployment that carries the idled marks, or whose Service
 * points at the unidler (a wake cut short after it stripped the marks). A Deployment
 * stopped on purpose behind a normal Service, or a Service that points anywhere but at
 * the unidler, is {@link FailureReason#NOT_IDLED} and left alone. When apps in several
 * namespaces carry the host, {@link HostOwners} says whose it is.
 */
@Component
final class AppLocator {

	private static final Logger logger = LoggerFactory.getLogger(AppLocator.class);

	private final Cluster cluster;

	private final IdledMetadata idled;

	private final SavedServiceSpecs serviceSpecs;

	private final UnidlerNames unidlerNames;

	private final HostOwners owners;

	private final int minAvailable;

	/**
	 * How long a lookup that found half an app waits before it looks once more: the other
	 * half may be on its way to the cache.
	 */
	static final Duration HALF_FOUND_RECHECK = Duration.ofSeconds(1);

	AppLocator(Cluster cluster, IdledMetadata idled, SavedServiceSpecs serviceSpecs, UnidlerNames unidlerNames,
			HostOwners owners, UnidlerProperties properties) {
		this.cluster = cluster;
		this.minAvailable = properties.wake().minAvailable();
		this.idled = idled;
		this.serviceSpecs = serviceSpecs;
		this.unidlerNames = unidlerNames;
		this.owners = owners;
	}

	Mono<Located> locate(AppKey key) {
		return candidates(key).flatMap(
				(found) -> isHalfFound(found) ? Mono.delay(HALF_FOUND_RECHECK).then(candidates(key)) : Mono.just(found))
			.flatMap((found) -> this.owners.ownCandidates(key, found))
			.map((owned) -> plan(key, owned.deployments(), owned.services()));
	}

	/**
	 * The app as the API has it now, planned again. The lookup read the cache, which may
	 * not yet show a change made a moment before (someone stopped the app on purpose, an
	 * idle on another replica ended): called once a wake holds the app, before its first
	 * write, so that only what is idled now is woken.
	 */
	Mono<Located> confirm(App app) {
		return Mono
			.zip(this.cluster.deployment(app.namespace(), app.deployment()),
					this.cluster.service(app.namespace(), app.service()))
			.map((fresh) -> plan(app.key(), List.of(fresh.getT1()), List.of(fresh.getT2())));
	}

	private Mono<Candidates> candidates(AppKey key) {
		return Mono.zip(this.cluster.findDeployments(key), this.cluster.findServices(key))
			.map((found) -> new Candidates(found.getT1(), found.getT2()));
	}

	/**
	 * A Deployment without a Service, or the reverse: what the cache shows for a moment
	 * when an app has just been created or labelled, since each kind reaches it through
	 * its own watch.
	 */
	private static boolean isHalfFound(Candidates found) {
		return found.deployments().isEmpty() != found.services().isEmpty();
	}

	private Located plan(AppKey key, List<DeploymentState> deployments, List<ServiceState> services) {
		if (deployments.isEmpty() && services.isEmpty()) {
			throw new OperationFailure(FailureReason.UNKNOWN_APP,
					"No app is registered for " + key.host() + ". Check the address, or ask the platform team.");
		}
		DeploymentState deployment = single(key, "Deployment", deployments, DeploymentState::qualifiedName);
		ServiceState service = single(key, "Service", services, ServiceState::qualifiedName);
		if (!deployment.namespace().equals(service.namespace())) {
			throw new OperationFailure(FailureReason.INVALID_APP,
					"The app's Deployment and Service are in different namespaces, so nothing was changed.",
					new IllegalStateException("Deployment " + deployment.qualifiedName() + " and Service "
							+ service.qualifiedName() + " both carry " + key.selector()));
		}
		if (this.unidlerNames.pointsElsewhere(service)) {
			throw new OperationFailure(FailureReason.NOT_IDLED,
					"The app for " + key.host()
							+ " sends its traffic somewhere else, not to the unidler, so nothing was changed.",
					new IllegalStateException("Service " + service.qualifiedName() + " is an ExternalName for "
							+ service.externalName() + ", none of the unidler's names " + this.unidlerNames.names()));
		}
		boolean marked = this.idled.isPresent(deployment);
		boolean routedHere = this.unidlerNames.pointsAtUnidler(service);
		boolean available = deployment.isAvailable(this.minAvailable);
		if (!marked && !routedHere && !available) {
			throw new OperationFailure(FailureReason.NOT_IDLED, "The app for " + key.host()
					+ " is not idled: it was stopped or is starting on purpose, so the unidler leaves it alone.",
					new IllegalStateException("Deployment " + deployment.qualifiedName() + " (" + deployment.replicas()
							+ " replicas) carries no idled marks and Service " + service.qualifiedName()
							+ " does not point at the unidler"));
		}
		boolean awake = available && !marked && !routedHere;
		// Read for its errors only: an unreadable saved spec fails the wake here, before
		// any write. What the Service gets back is read from it when it is repointed.
		this.serviceSpecs.restoreFor(service);
		App app = new App(key, deployment.namespace(), deployment.name(), service.name(),
				this.idled.replicasToRestore(deployment.annotations()));
		logger.debug("Located {} for {}: replicas to restore {}, awake {}", LogSafe.of(app.qualifiedName()),
				LogSafe.of(key), app.replicas(), awake);
		return new Located(app, awake);
	}

	private static <T> T single(AppKey key, String kind, List<T> found, Function<T, String> name) {
		if (found.isEmpty()) {
			throw new OperationFailure(FailureReason.UNKNOWN_APP,
					"The app for " + key.host() + " is only partly set up (it has no " + kind
							+ "), so nothing was changed. Ask the platform team.");
		}
		if (found.size() > 1) {
			throw new OperationFailure(FailureReason.AMBIGUOUS_APP,
					"Several apps answer to " + key.host()
							+ ", so none was woken. The platform team needs to label only one.",
					new IllegalStateException(found.size() + " " + kind + "s carry " + key.selector() + ": "
							+ found.stream().map(name).collect(Collectors.joining(", "))));
		}
		return found.get(0);
	}

	/**
	 * The outcome of a lookup.
	 *
	 * @param app the app and its plan
	 * @param awake whether it already serves: available, no idled metadata, and its
	 * Service no longer points at the unidler
	 */
	record Located(App app, boolean awake) {

	}

}
