package dev.unidler.wake;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.unidler.UnidlerProperties;
import dev.unidler.app.AppKey;
import dev.unidler.app.Cluster;
import dev.unidler.app.DeploymentState;
import dev.unidler.app.IngressState;
import dev.unidler.app.ServiceState;
import dev.unidler.operation.LogSafe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

/**
 * Decides which namespace owns a host when apps in several namespaces carry its lookup
 * label, so that a tenant cannot block or hijack another's app by labelling its own
 * objects with the other's host. Labels are anyone's to write; these are not:
 * <ol>
 * <li>the operator's {@code unidler.tenancy.host-namespaces}: a host under a configured
 * suffix belongs to that namespace alone (the longest suffix wins), and candidates
 * elsewhere are ignored;</li>
 * <li>otherwise, when the candidates span several namespaces, the namespace of the
 * Ingress that claims the host in a rule, the object the ingress controller routes the
 * host by: the oldest claim wins, as with ingress-nginx; an exact host beats a wildcard.
 * </li>
 * </ol>
 * When neither singles out one namespace the candidates stay as they are, and several
 * apps are ambiguous.
 */
@Component
final class HostOwners {

	private static final Logger logger = LoggerFactory.getLogger(HostOwners.class);

	private final Cluster cluster;

	/** Longest suffix first. */
	private final List<Map.Entry<String, String>> suffixes;

	HostOwners(Cluster cluster, UnidlerProperties properties) {
		this.cluster = cluster;
		this.suffixes = parse(properties.tenancy().hostNamespaces());
	}

	/**
	 * The candidates that belong to the host's owner, or all of them when no owner can be
	 * told.
	 */
	Mono<Candidates> ownCandidates(AppKey key, Candidates candidates) {
		Optional<String> configured = configuredOwner(key.host());
		if (configured.isPresent()) {
			return Mono.just(narrow(key, candidates, configured.get(), "the configured host namespaces give it"));
		}
		if (candidates.namespaces().size() < 2) {
			return Mono.just(candidates);
		}
		return this.cluster.ingresses()
			.map((ingresses) -> ingressOwner(key.host(), ingresses)
				.filter((owner) -> candidates.namespaces().contains(owner.namespace()))
				.map((owner) -> narrow(key, candidates, owner.namespace(),
						"its Ingress " + owner.namespace() + "/" + owner.name() + " claims it first"))
				.orElse(candidates));
	}

	private static Candidates narrow(AppKey key, Candidates candidates, String owner, String why) {
		Candidates owned = candidates.in(owner);
		if (!owned.equals(candidates)) {
			Set<String> ignored = new TreeSet<>(candidates.namespaces());
			ignored.remove(owner);
			logger.info("{} belongs to namespace {} ({}); ignoring what namespaces {} label with it",
					LogSafe.of(key.host()), LogSafe.of(owner), LogSafe.of(why), LogSafe.of(ignored));
		}
		return owned;
	}

	Optional<String> configuredOwner(String host) {
		return this.suffixes.stream()
			.filter((suffix) -> host.equals(suffix.getKey()) || host.endsWith("." + suffix.getKey()))
			.map(Map.Entry::getValue)
			.findFirst();
	}

	/**
	 * The Ingress whose rule claims the host first; none when the first claims tie across
	 * namespaces.
	 */
	static Optional<IngressState> ingressOwner(String host, List<IngressState> ingresses) {
		List<IngressState> claims = ingresses.stream().filter((ingress) -> ingress.hosts().contains(host)).toList();
		int dot = host.indexOf('.');
		if (claims.isEmpty() && dot > 0) {
			String wildcard = "*" + host.substring(dot);
			claims = ingresses.stream().filter((ingress) -> ingress.hosts().contains(wildcard)).toList();
		}
		Optional<IngressState> oldest = claims.stream()
			.min(Comparator.comparing(IngressState::created)
				.thenComparing(IngressState::namespace)
				.thenComparing(IngressState::name));
		if (oldest.isEmpty()) {
			return oldest;
		}
		boolean tie = claims.stream()
			.anyMatch((claim) -> claim.created().equals(oldest.get().created())
					&& !claim.namespace().equals(oldest.get().namespace()));
		return tie ? Optional.empty() : oldest;
	}

	private static List<Map.Entry<String, String>> parse(List<String> pairs) {
		Map<String, String> bySuffix = new HashMap<>();
		for (String pair : pairs) {
			int equals = pair.indexOf('=');
			String suffix = (equals > 0) ? pair.substring(0, equals).strip().toLowerCase(Locale.ROOT) : "";
			suffix = suffix.startsWith(".") ? suffix.substring(1) : suffix;
			String namespace = (equals > 0) ? pair.substring(equals + 1).strip() : "";
			if (suffix.isEmpty() || namespace.isEmpty()) {
				throw new IllegalArgumentException(
						"unidler.tenancy.host-namespaces: '" + pair + "' is not <host suffix>=<namespace>");
			}
			String earlier = bySuffix.putIfAbsent(suffix, namespace);
			if (earlier != null && !earlier.equals(namespace)) {
				throw new IllegalArgumentException("unidler.tenancy.host-namespaces gives " + suffix
						+ " to two namespaces: " + earlier + " and " + namespace);
			}
		}
		List<Map.Entry<String, String>> sorted = new ArrayList<>(
				bySuffix.entrySet().stream().map((entry) -> Map.entry(entry.getKey(), entry.getValue())).toList());
		sorted.sort(Comparator.comparing((Map.Entry<String, String> entry) -> entry.getKey().length())
			.reversed()
			.thenComparing(Map.Entry::getKey));
		return List.copyOf(sorted);
	}

	/**
	 * The Deployments and Services that carry a host's lookup label.
	 *
	 * @param deployments the Deployments
	 * @param services the Services
	 */
	record Candidates(List<DeploymentState> deployments, List<ServiceState> services) {

		Candidates {
			deployments = List.copyOf(deployments);
			services = List.copyOf(services);
		}

		Set<String> namespaces() {
			return Stream
				.concat(this.deployments.stream().map(DeploymentState::namespace),
						this.services.stream().map(ServiceState::namespace))
				.collect(Collectors.toCollection(TreeSet::new));
		}

		Candidates in(String namespace) {
			return new Candidates(this.deployments.stream().filter((d) -> d.namespace().equals(namespace)).toList(),
					this.services.stream().filter((s) -> s.namespace().equals(namespace)).toList());
		}

	}

}
