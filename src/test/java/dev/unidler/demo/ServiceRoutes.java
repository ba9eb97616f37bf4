package dev.unidler.demo;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Service;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Decides where a host's traffic goes, the way an ingress controller does by following
 * the Service: to the unidler while the Service is an {@code ExternalName} pointing away,
 * to the app otherwise.
 */
final class ServiceRoutes {

	private static final int MAX_LABEL_VALUE = 63;

	private static final Pattern LABEL_VALUE = Pattern.compile("[a-z0-9]([a-z0-9._-]*[a-z0-9])?");

	private final CoreV1Api core;

	private final String label;

	ServiceRoutes(ApiClient client, String label) {
		this.core = new CoreV1Api(client);
		this.label = label;
	}

	/**
	 * The lookup key of a {@code Host} header, derived as the unidler derives it for the
	 * {@code host} label: lower-cased, port and trailing dot removed, cut to 63
	 * characters and trimmed to end alphanumeric. Empty when it cannot be a label value
	 * (the request is then refused without a lookup).
	 */
	static Optional<String> key(String hostHeader) {
		if (hostHeader == null) {
			return Optional.empty();
		}
		String host = hostHeader.strip().toLowerCase(Locale.ROOT);
		int colon = host.lastIndexOf(':');
		if (colon >= 0 && !host.startsWith("[")) {
			host = host.substring(0, colon);
		}
		if (host.endsWith(".")) {
			host = host.substring(0, host.length() - 1);
		}
		if (host.length() > MAX_LABEL_VALUE) {
			host = host.substring(0, MAX_LABEL_VALUE).replaceAll("[^a-z0-9]+$", "");
		}
		return LABEL_VALUE.matcher(host).matches() ? Optional.of(host) : Optional.empty();
	}

	/** Where requests for a key go; the blocking list call runs off the event loop. */
	Mono<Route> route(String key) {
		return Mono
			.fromCallable(() -> route(
					this.core.listServiceForAllNamespaces().labelSelector(this.label + "=" + key).execute().getItems()))
			.subscribeOn(Schedulers.boundedElastic());
	}

	private static Route route(List<V1Service> services) {
		if (services.isEmpty()) {
			return Route.NO_APP;
		}
		// Several matches are the unidler's to report: it refuses to guess.
		boolean idled = services.stream()
			.anyMatch((service) -> service.getSpec() != null && "ExternalName".equals(service.getSpec().getType()));
		return idled ? Route.UNIDLER : Route.APP;
	}

	enum Route {

		/** No Service carries the key. */
		NO_APP,

		/** The Service points at the unidler. */
		UNIDLER,

		/** The Service selects the app's pods again. */
		APP

	}

}
