package dev.unidler.kubernetes;

import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kubernetes API paths read as a verb and a resource, never with the names of objects or
 * namespaces in them, so the labels of the requests counter stay few.
 */
class ApiRequestTests {

	private static final String SERVER = "https://127.0.0.1:6443";

	@ParameterizedTest
	@CsvSource({ "GET, /apis/apps/v1/namespaces/team-a/deployments/web, get, deployments",
			"GET, /apis/apps/v1/deployments?labelSelector=host%3Dweb.example.com, list, deployments",
			"GET, /apis/apps/v1/deployments?watch=true&resourceVersion=12, watch, deployments",
			"GET, /api/v1/watch/namespaces/team-a/services, watch, services",
			"PATCH, /apis/apps/v1/namespaces/team-a/deployments/web, patch, deployments",
			"PATCH, /apis/apps/v1/namespaces/team-a/deployments/web/scale, patch, deployments/scale",
			"PUT, /api/v1/namespaces/team-a/services/web/status, update, services/status",
			"POST, /apis/events.k8s.io/v1/namespaces/team-a/events, create, events",
			"DELETE, /apis/coordination.k8s.io/v1/namespaces/unidler/leases/team-a.web, delete, leases",
			"DELETE, /api/v1/namespaces/team-a/pods, deletecollection, pods",
			"GET, /api/v1/namespaces, list, namespaces", "GET, /api/v1/namespaces/team-a, get, namespaces",
			"GET, /version, get, discovery", "GET, /apis, get, discovery", "GET, /api/v1, get, discovery",
			"OPTIONS, /api/v1/pods, other, pods" })
	void aRequestIsItsVerbAndResource(String method, String path, String verb, String resource) {
		ApiRequest request = ApiRequest.of(method, HttpUrl.get(SERVER + path), "200");

		assertThat(request).isEqualTo(new ApiRequest(verb, resource, "200"));
	}

	@Test
	void namesThatDoNotLookLikeAResourceAreNotTakenAsLabelValues() {
		// A path built from something odd must not put its text in a label.
		ApiRequest request = ApiRequest.of("GET", HttpUrl.get(SERVER + "/api/v1/namespaces/a/Weird%20Thing%7B%7D/x"),
				"404");

		assertThat(request).isEqualTo(new ApiRequest("get", "other", "404"));
	}

}
