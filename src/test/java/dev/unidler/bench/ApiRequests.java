package dev.unidler.bench;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The API requests one client made in a window of the benchmark, as the API server's
 * audit log recorded them.
 *
 * @param requests every request, once each (a watch is logged when it opens and again
 * when it ends; it counts once)
 */
record ApiRequests(List<ApiRequest> requests) {

	private static final List<String> READS = List.of("get", "list");

	private static final List<String> WRITES = List.of("create", "update", "patch", "delete", "deletecollection");

	ApiRequests {
		requests = List.copyOf(requests);
	}

	/** Reads that answer once: {@code get} and {@code list}. */
	long reads() {
		return count((request) -> READS.contains(request.verb()));
	}

	/** Watches opened. */
	long watches() {
		return count((request) -> "watch".equals(request.verb()));
	}

	long writes() {
		return count((request) -> WRITES.contains(request.verb()));
	}

	/** Writes to the app itself: its Deployment and its Service. */
	long appWrites() {
		return count((request) -> WRITES.contains(request.verb())
				&& (request.resource().startsWith("deployments") || request.resource().startsWith("services")));
	}

	/** Writes to the Leases replicas coordinate with ({@code coordination.k8s.io}). */
	long leaseWrites() {
		return count((request) -> WRITES.contains(request.verb()) && request.resource().startsWith("leases"));
	}

	long total() {
		return this.requests.size();
	}

	private long count(Predicate<ApiRequest> which) {
		return this.requests.stream().filter(which).count();
	}

	/** {@code verb resource ×n}, sorted, e.g. {@code patch deployments.apps ×2}. */
	String byVerbAndResource() {
		if (this.requests.isEmpty()) {
			return "none";
		}
		Map<String, Long> counts = this.requests.stream()
			.collect(Collectors.groupingBy((request) -> request.verb() + " " + request.resource(), TreeMap::new,
					Collectors.counting()));
		return counts.entrySet()
			.stream()
			.map((entry) -> entry.getKey() + " ×" + entry.getValue())
			.collect(Collectors.joining(", "));
	}

	/**
	 * One request.
	 *
	 * @param verb the API verb ({@code get}, {@code list}, {@code watch}, {@code patch},
	 * ...)
	 * @param resource resource and group, with the subresource after a slash, e.g.
	 * {@code deployments.apps}, {@code services}, {@code leases.coordination.k8s.io}
	 */
	record ApiRequest(String verb, String resource) {

	}

}
