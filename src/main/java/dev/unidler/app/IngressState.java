package dev.unidler.app;

import java.time.Instant;
import java.util.List;

/**
 * What the wake needs to know of an Ingress ({@code networking.k8s.io/v1}): which hosts
 * its rules claim, and since when, to tell which namespace owns a host.
 *
 * @param namespace its namespace
 * @param name its name
 * @param created its {@code metadata.creationTimestamp}
 * @param hosts the {@code host} of each of its rules that has one, as written (possibly a
 * wildcard such as {@code *.example.com})
 */
public record IngressState(String namespace, String name, Instant created, List<String> hosts) {

	public IngressState {
		hosts = List.copyOf(hosts);
	}

}
