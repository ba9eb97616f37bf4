package dev.unidler.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.google.gson.reflect.TypeToken;
import io.kubernetes.client.custom.IntOrString;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.apis.AuthenticationV1Api;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1DeploymentCondition;
import io.kubernetes.client.openapi.models.V1Endpoint;
import io.kubernetes.client.openapi.models.V1EndpointSlice;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodCondition;
import io.kubernetes.client.openapi.models.V1SelfSubjectReview;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServicePort;
import io.kubernetes.client.openapi.models.V1ServiceSpec;
import io.kubernetes.client.util.PatchUtils;
import io.kubernetes.client.util.Watch;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The Kubernetes semantics the unidler relies on, checked against the real control plane:
 * strategic merge with {@code null}, Service type changes and {@code $patch:
 * replace}, rollouts seen through watches and EndpointSlices, unschedulable pods, and
 * ServiceAccount tokens.
 */
@RealCluster
class ControlPlaneTests {

	private static final JsonMapper JSON = JsonMapper.shared();

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	@Test
	void strategicMergeNullRemovesLabelAndAnnotationAndRepeatingItChangesNothing(TestCluster cluster,
			TestNamespace namespace) throws Exception {
		IdledApp app = namespace.createIdledApp(IdledAppSpec.named("app1").host("app1.example.test"));
		ObjectNode patch = JSON.createObjectNode();
		ObjectNode metadata = patch.putObject("metadata");
		metadata.putObject("labels").putNull(IdledAppSpec.IDLED_LABEL);
		metadata.putObject("annotations").putNull(IdledAppSpec.IDLED_AT_ANNOTATION);
		String json = JSON.writeValueAsString(patch);

		long createdGeneration = app.deployment().getMetadata().getGeneration();
		V1Deployment first = patchDeployment(cluster, app, json);
		assertThat(first.getMetadata().getLabels()).doesNotContainKey(IdledAppSpec.IDLED_LABEL)
			.containsExactlyInAnyOrderEntriesOf(Map.of("app", "app1", "host", "app1.example.test"));
		assertThat(first.getMetadata().getAnnotations()).doesNotContainKey(IdledAppSpec.IDLED_AT_ANNOTATION)
			.containsEntry(IdledAppSpec.REPLICAS_ANNOTATION, "3");
		// A Deployment's generation counts annotation changes too (not label changes), so
		// the deployment controller writes status.observedGeneration once more.
		assertThat(first.getMetadata().getGeneration()).isEqualTo(createdGeneration + 1);
		V1Deployment settled = app.awaitRolloutComplete(TIMEOUT);
		assertThat(settled.getMetadata().getLabels()).isEqualTo(first.getMetadata().getLabels());
		assertThat(settled.getMetadata().getAnnotations()).isEqualTo(first.getMetadata().getAnnotations());

		// Again: null deletes a key that is already gone, and nothing is written.
		V1Deployment second = patchDeployment(cluster, app, json);
		assertThat(second.getMetadata().getResourceVersion()).isEqualTo(settled.getMetadata().getResourceVersion());
		assertThat(second.getMetadata().getGeneration()).isEqualTo(first.getMetadata().getGeneration());
		assertThat(second.getMetadata().getLabels()).isEqualTo(first.getMetadata().getLabels());
		assertThat(second.getMetadata().getAnnotations()).isEqualTo(first.getMetadata().getAnnotations());
		assertThat(app.deployment().getMetadata().getResourceVersion())
			.isEqualTo(settled.getMetadata().getResourceVersion());

		// Both requests were writes as far as the audit log is concerned.
		if (cluster.auditLog() != null) {
			awaitTrue("two patches of deployment app1 in " + cluster.auditLog(),
					() -> cluster.auditWrites(namespace.name())
						.stream()
						.filter((e) -> "patch".equals(e.verb()) && "deployments".equals(e.resource())
								&& "app1".equals(e.name()))
						.count() == 2);
		}
	}

	@Test
	void externalNameServiceBecomesClusterIpAndReplacePatchesRestoreASavedSpec(TestCluster cluster,
			TestNamespace namespace) throws Exception {
		IdledApp app = namespace.createIdledApp(IdledAppSpec.named("app2"));
		assertThat(app.service().getSpec().getType()).isEqualTo("ExternalName");

		// The compatible default restore: ClusterIP, externalName removed, selector, 80
		// -> 3000.
		ObjectNode patch = JSON.createObjectNode();
		ObjectNode spec = patch.putObject("spec");
		spec.put("type", "ClusterIP");
		spec.putNull("externalName");
		spec.putObject("selector").put("app", "app2");
		spec.putArray("ports")
			.addObject()
			.put("name", "http")
			.put("port", 80)
			.put("targetPort", 3000)
			.put("protocol", "TCP");
		V1Service restored = patchService(cluster, app, JSON.writeValueAsString(patch));
		V1ServiceSpec clusterIpSpec = app.service().getSpec();
		assertThat(clusterIpSpec.getType()).isEqualTo("ClusterIP");
		assertThat(clusterIpSpec.getExternalName()).isNull();
		assertThat(clusterIpSpec.getClusterIP()).isNotBlank().isNotEqualTo("None");
		assertThat(clusterIpSpec.getClusterIPs()).containsExactly(clusterIpSpec.getClusterIP());
		assertThat(clusterIpSpec.getSelector()).containsExactlyEntriesOf(Map.of("app", "app2"));
		assertThat(clusterIpSpec.getPorts()).singleElement().satisfies((port) -> {
			assertThat(port.getPort()).isEqualTo(80);
			assertThat(port.getTargetPort()).isEqualTo(new IntOrString(3000));
		});
		assertThat(restored.getSpec()).isEqualTo(clusterIpSpec);

		// Without $patch: replace, lists merge by key and maps merge: nothing goes away.
		ObjectNode merge = JSON.createObjectNode();
		ObjectNode mergeSpec = merge.putObject("spec");
		mergeSpec.putObject("selector").put("tier", "web");
		mergeSpec.putArray("ports").addObject().put("name", "admin").put("port", 8080).put("targetPort", 8080);
		V1ServiceSpec merged = patchService(cluster, app, JSON.writeValueAsString(merge)).getSpec();
		assertThat(merged.getSelector()).containsExactlyInAnyOrderEntriesOf(Map.of("app", "app2", "tier", "web"));
		assertThat(merged.getPorts()).extracting(V1ServicePort::getPort).containsExactlyInAnyOrder(80, 8080);

		// "$patch": "replace" on a map and on a list (as a list element) replaces them.
		ObjectNode replace = JSON.createObjectNode();
		ObjectNode replaceSpec = replace.putObject("spec");
		replaceSpec.putObject("selector").put("$patch", "replace").put("app", "app2");
		ArrayNode ports = replaceSpec.putArray("ports");
		ports.addObject().put("$patch", "replace");
		ports.addObject().put("name", "http").put("port", 80).put("targetPort", 3000).put("protocol", "TCP");
		V1ServiceSpec replaced = patchService(cluster, app, JSON.writeValueAsString(replace)).getSpec();
		assertThat(replaced).isEqualTo(clusterIpSpec);

		// Idle again the way the idler does; the API server drops the cluster IP itself.
		ObjectNode idle = JSON.createObjectNode();
		ObjectNode idleSpec = idle.putObject("spec");
		idleSpec.put("type", "ExternalName");
		idleSpec.put("externalName", "unidler." + namespace.name() + ".svc.cluster.local");
		idleSpec.putNull("selector");
		ArrayNode idlePorts = idleSpec.putArray("ports");
		idlePorts.addObject().put("$patch", "replace");
		idlePorts.addObject().put("name", "http").put("port", 80);
		V1ServiceSpec idled = patchService(cluster, app, JSON.writeValueAsString(idle)).getSpec();
		assertThat(idled.getType()).isEqualTo("ExternalName");
		assertThat(idled.getClusterIP()).isNull();
		assertThat(idled.getClusterIPs()).isNullOrEmpty();
		assertThat(idled.getSelector()).isNullOrEmpty();

		// "$patch": "replace" on the whole spec restores a saved spec exactly, cluster IP
		// included (it is free again since the Service became ExternalName).
		ObjectNode saved = (ObjectNode) JSON.readTree(cluster.apiClient().getJSON().serialize(clusterIpSpec));
		saved.put("$patch", "replace");
		ObjectNode restore = JSON.createObjectNode();
		restore.set("spec", saved);
		V1ServiceSpec restoredExactly = patchService(cluster, app, JSON.writeValueAsString(restore)).getSpec();
		assertThat(restoredExactly).isEqualTo(clusterIpSpec);
		assertThat(app.service().getSpec()).isEqualTo(clusterIpSpec);
	}

	@Test
	void deploymentScaledFromZeroBecomesAvailableSeenByAWatchAndItsEndpointSlice(TestCluster cluster,
			TestNamespace namespace) throws Exception {
		IdledApp app = namespace.createIdledApp(IdledAppSpec.named("app3"));
		ObjectNode servicePatch = JSON.createObjectNode();
		ObjectNode serviceSpec = servicePatch.putObject("spec");
		serviceSpec.put("type", "ClusterIP");
		serviceSpec.putNull("externalName");
		serviceSpec.putObject("selector").put("app", "app3");
		serviceSpec.putArray("ports").addObject().put("name", "http").put("port", 80).put("targetPort", 3000);
		patchService(cluster, app, JSON.writeValueAsString(servicePatch));

		ObjectNode scale = JSON.createObjectNode();
		scale.putObject("spec").put("replicas", 2);
		V1Deployment scaled = patchDeployment(cluster, app, JSON.writeValueAsString(scale));
		assertThat(scaled.getSpec().getReplicas()).isEqualTo(2);

		List<String> seen = new ArrayList<>();
		V1Deployment available = null;
		Instant deadline = Instant.now().plus(TIMEOUT);
		try (Watch<V1Deployment> watch = Watch.createWatch(cluster.apiClient(),
				cluster.apps()
					.listNamespacedDeployment(namespace.name())
					.fieldSelector("metadata.name=app3")
					.resourceVersion(scaled.getMetadata().getResourceVersion())
					.watch(true)
					.timeoutSeconds(45)
					.buildCall(null),
				new TypeToken<Watch.Response<V1Deployment>>() {
				}.getType())) {
			while (available == null && Instant.now().isBefore(deadline) && watch.hasNext()) {
				Watch.Response<V1Deployment> event = watch.next();
				Integer availableReplicas = (event.object != null && event.object.getStatus() != null)
						? event.object.getStatus().getAvailableReplicas() : null;
				seen.add(event.type + " available=" + availableReplicas);
				if ("MODIFIED".equals(event.type) && Objects.equals(availableReplicas, 2)) {
					available = event.object;
				}
			}
		}
		assertThat(available).as("a watch event with 2 available replicas; saw %s", seen).isNotNull();
		assertThat(seen).isNotEmpty().allMatch((event) -> event.startsWith("MODIFIED"));

		V1Deployment deployment = app.awaitAvailable(2, Duration.ofSeconds(5));
		assertThat(deployment.getStatus().getReadyReplicas()).isEqualTo(2);
		assertThat(deployment.getStatus().getUpdatedReplicas()).isEqualTo(2);
		assertThat(app.pods()).hasSize(2).allSatisfy((pod) -> {
			assertThat(pod.getSpec().getNodeName()).startsWith("kwok-node-");
			assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
			assertThat(pod.getStatus().getPodIP()).isNotBlank();
		});

		List<V1Endpoint> ready = awaitValue("two ready endpoints in the EndpointSlices of Service app3", () -> {
			List<V1EndpointSlice> slices = cluster.discovery()
				.listNamespacedEndpointSlice(namespace.name())
				.labelSelector("kubernetes.io/service-name=app3")
				.execute()
				.getItems();
			List<V1Endpoint> endpoints = slices.stream()
				.flatMap((slice) -> Objects.requireNonNullElse(slice.getEndpoints(), List.<V1Endpoint>of()).stream())
				.filter((endpoint) -> endpoint.getConditions() != null
						&& Boolean.TRUE.equals(endpoint.getConditions().getReady()))
				.toList();
			return (endpoints.size() == 2) ? endpoints : null;
		});
		assertThat(ready).flatExtracting(V1Endpoint::getAddresses)
			.containsExactlyInAnyOrderElementsOf(app.pods().stream().map((pod) -> pod.getStatus().getPodIP()).toList());
		V1EndpointSlice slice = cluster.discovery()
			.listNamespacedEndpointSlice(namespace.name())
			.labelSelector("kubernetes.io/service-name=app3")
			.execute()
			.getItems()
			.get(0);
		assertThat(slice.getPorts()).singleElement().satisfies((port) -> {
			assertThat(port.getName()).isEqualTo("http");
			assertThat(port.getPort()).isEqualTo(3000);
		});
	}

	@Test
	void unschedulableDeploymentStaysUnavailableAndItsPodsSayWhy(TestCluster cluster, TestNamespace namespace)
			throws Exception {
		IdledApp app = namespace.createIdledApp(IdledAppSpec.named("app4").unschedulable(true));
		ObjectNode scale = JSON.createObjectNode();
		scale.putObject("spec").put("replicas", 1);
		patchDeployment(cluster, app, JSON.writeValueAsString(scale));

		V1PodCondition scheduled = awaitValue("a PodScheduled condition on the pod of app4", () -> app.pods()
			.stream()
			.map(V1Pod::getStatus)
			.filter(Objects::nonNull)
			.flatMap((status) -> Objects.requireNonNullElse(status.getConditions(), List.<V1PodCondition>of()).stream())
			.filter((condition) -> "PodScheduled".equals(condition.getType()))
			.findFirst()
			.orElse(null));
		assertThat(scheduled.getStatus()).isEqualTo("False");
		assertThat(scheduled.getReason()).isEqualTo("Unschedulable");
		assertThat(scheduled.getMessage()).contains("node affinity/selector");

		// At 0 replicas the Deployment was Available; with 1 replica that cannot run it
		// is not.
		V1Deployment deployment = awaitValue("Deployment app4 to report Available=False", () -> {
			V1Deployment current = app.deployment();
			V1DeploymentCondition available = condition(current, "Available");
			return (available != null && "False".equals(available.getStatus())) ? current : null;
		});
		assertThat(condition(deployment, "Available").getReason()).isEqualTo("MinimumReplicasUnavailable");
		assertThat(Objects.requireNonNullElse(deployment.getStatus().getAvailableReplicas(), 0)).isZero();
		assertThat(deployment.getStatus().getUnavailableReplicas()).isEqualTo(1);
		TestNamespace.sleep(Duration.ofSeconds(2));
		assertThat(Objects.requireNonNullElse(app.deployment().getStatus().getAvailableReplicas(), 0)).isZero();
		assertThat(app.pods()).singleElement().satisfies((pod) -> {
			assertThat(pod.getSpec().getNodeName()).isNull();
			assertThat(pod.getStatus().getPhase()).isEqualTo("Pending");
		});
	}

	@Test
	void serviceAccountTokensAuthenticateAndRbacApplies(TestCluster cluster, TestNamespace namespace) throws Exception {
		ApiClient client = namespace.serviceAccountClient("unidler");
		V1SelfSubjectReview review = new AuthenticationV1Api(client).createSelfSubjectReview(new V1SelfSubjectReview())
			.execute();
		assertThat(review.getStatus().getUserInfo().getUsername())
			.isEqualTo("system:serviceaccount:" + namespace.name() + ":unidler");
		assertThatExceptionOfType(ApiException.class)
			.isThrownBy(() -> new AppsV1Api(client).listNamespacedDeployment(namespace.name()).execute())
			.satisfies((ex) -> assertThat(ex.getCode()).isEqualTo(403));
	}

	private static V1Deployment patchDeployment(TestCluster cluster, IdledApp app, String json) throws ApiException {
		V1Patch patch = new V1Patch(json);
		return PatchUtils.patch(V1Deployment.class,
				() -> cluster.apps().patchNamespacedDeployment(app.name(), app.namespace(), patch).buildCall(null),
				V1Patch.PATCH_FORMAT_STRATEGIC_MERGE_PATCH, cluster.apiClient());
	}

	private static V1Service patchService(TestCluster cluster, IdledApp app, String json) throws ApiException {
		V1Patch patch = new V1Patch(json);
		return PatchUtils.patch(V1Service.class,
				() -> cluster.core().patchNamespacedService(app.name(), app.namespace(), patch).buildCall(null),
				V1Patch.PATCH_FORMAT_STRATEGIC_MERGE_PATCH, cluster.apiClient());
	}

	private static V1DeploymentCondition condition(V1Deployment deployment, String type) {
		if (deployment.getStatus() == null || deployment.getStatus().getConditions() == null) {
			return null;
		}
		return deployment.getStatus()
			.getConditions()
			.stream()
			.filter((condition) -> type.equals(condition.getType()))
			.findFirst()
			.orElse(null);
	}

	private static void awaitTrue(String what, Probe<Boolean> probe) throws Exception {
		awaitValue(what, () -> Boolean.TRUE.equals(probe.get()) ? Boolean.TRUE : null);
	}

	private static <T> T awaitValue(String what, Probe<T> probe) throws Exception {
		Instant deadline = Instant.now().plus(TIMEOUT);
		while (true) {
			T value = probe.get();
			if (value != null) {
				return value;
			}
			if (Instant.now().isAfter(deadline)) {
				throw new AssertionError("Timed out after " + TIMEOUT.toSeconds() + " s waiting for " + what);
			}
			Thread.sleep(200);
		}
	}

	@FunctionalInterface
	private interface Probe<T> {

		T get() throws Exception;

	}

}
