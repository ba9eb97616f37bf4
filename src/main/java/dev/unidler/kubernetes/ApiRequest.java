package dev.unidler.kubernetes;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import okhttp3.HttpUrl;

/**
 * One request to the Kubernetes API, in terms that stay few however many apps there are:
 * the verb as Kubernetes names it, the resource (plural, with a subresource if any) and
 * the status code. Object and namespace names never appear.
 *
 * @param verb {@code get}, {@code list}, {@code watch}, {@code create}, {@code update},
 * {@code patch}, {@code delete}, {@code deletecollection}, or {@code other}
 * @param resource {@code deployments}, {@code deployments/scale}, {@code leases}, …;
 * {@code discovery} for paths that name no resource ({@code /version}, {@code /apis}),
 * always read with {@code get}
 * @param code the HTTP status code, or {@link #NO_RESPONSE} when none came
 */
public record ApiRequest(String verb, String resource, String code) {

	/** The code of a request that got no answer: refused, reset, timed out. */
	public static final String NO_RESPONSE = "none";

	/** What a resource name looks like; anything else is not trusted as a label value. */
	private static final Pattern RESOURCE = Pattern.compile("[a-z][a-z0-9.-]{0,62}");

	/**
	 * Reads a request of the Kubernetes REST API.
	 * @param method the HTTP method
	 * @param url the URL
	 * @param code its status code, or {@link #NO_RESPONSE}
	 * @return the request in bounded terms
	 */
	static ApiRequest of(String method, HttpUrl url, String code) {
		List<String> path = url.pathSegments().stream().filter((segment) -> !segment.isEmpty()).toList();
		// /api/v1/... and /apis/<group>/<version>/...
		int resourceAt;
		if (path.size() >= 2 && path.get(0).equals("api")) {
			resourceAt = 2;
		}
		else if (path.size() >= 3 && path.get(0).equals("apis")) {
			resourceAt = 3;
		}
		else {
			return new ApiRequest(verb(method, true, false), "discovery", code);
		}
		List<String> rest = path.subList(resourceAt, path.size());
		boolean watchPath = !rest.isEmpty() && rest.get(0).equals("watch");
		if (watchPath) {
			rest = rest.subList(1, rest.size());
		}
		// namespaces/<ns>/<resource>/...; namespaces and namespaces/<name> are the
		// namespaces themselves.
		if (rest.size() >= 3 && rest.get(0).equals("namespaces")) {
			rest = rest.subList(2, rest.size());
		}
		if (rest.isEmpty()) {
			return new ApiRequest(verb(method, true, false), "discovery", code);
		}
		String resource = rest.get(0);
		if (rest.size() >= 3) {
			resource = resource + "/" + rest.get(2);
		}
		if (!RESOURCE.matcher(rest.get(0)).matches()
				|| (rest.size() >= 3 && !RESOURCE.matcher(rest.get(2)).matches())) {
			resource = "other";
		}
		boolean named = rest.size() >= 2;
		String watch = url.queryParameter("watch");
		boolean watching = watchPath || "true".equals(watch) || "1".equals(watch);
		return new ApiRequest(verb(method, named, watching), resource, code);
	}

	private static String verb(String method, boolean named, boolean watching) {
		return switch (method.toUpperCase(Locale.ROOT)) {
			case "GET", "HEAD" -> watching ? "watch" : (named ? "get" : "list");
			case "POST" -> "create";
			case "PUT" -> "update";
			case "PATCH" -> "patch";
			case "DELETE" -> named ? "delete" : "deletecollection";
			default -> "other";
		};
	}

}
