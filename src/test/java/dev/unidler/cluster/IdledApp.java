package dev.unidler.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1DeploymentStatus;
import io.kubernetes.client.openapi.models.V1Endpoint;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodCondition;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.util.PatchUtils;

/**
 * An app created by {@link TestNamespace#createIdledApp(IdledAppSpec)}: a Deployment and
 * a Service, both called {@link #name()}.
 *
 * @param cluster the cluster it lives in
 * @param namespace its namespace
 * @param name name of the Deployment and the Service
 * @param host its host
 * @param spec what it was created from
 */
public record IdledApp(TestCluster cluster, String namespace, String name, String host, IdledAppSpec spec) {

	/**
	 * Reads the Deployment now.
	 * @return the Deployment as the API server has it
	 */
	public V1Deployment deployment() {
		try {
			return this.cluster.apps().readNamespacedDeployment(this.name, this.namespace).execute();
		}
		catch (ApiException ex) {
			throw new IllegalStateException(
					"Cannot read Deployment " + this.namespace + "/" + this.name + ": " + TestNamespace.describe(ex),
					ex);
		}
	}

	/**
	 * Reads the Service now.
	 * @return the Service as the API server has it
	 */
	public V1Service service() {
		try {
			return this.cluster.core().readNamespacedService(this.name, this.namespace).execute();
		}
		catch (ApiException ex) {
			throw new IllegalStateException(
					"Cannot read Service " + this.namespace + "/" + this.name + ": " + TestNamespace.describe(ex), ex);
		}
	}

	/**
	 * Changes the Deployment as an admin would, with a strategic-merge patch.
	 * @param patch the patch, as JSON
	 */
	public void patchDeployment(String patch) {
		try {
			PatchUtils.patch(V1Deployment.class,
					() -> this.cluster.apps()
						.patchNamespacedDeployment(this.name, this.namespace, new V1Patch(patch))
						.buildCall(null),
					V1Patch.PATCH_FORMAT_STRATEGIC_MERGE_PATCH, this.cluster.apiClient());
		}
		catch (ApiException ex) {
			throw new IllegalStateException(
					"Cannot patch Deployment " + this.namespace + "/" + this.name + ": " + TestNamespace.describe(ex),
					ex);
		}
	}

	/**
	 * Changes the Service as an admin would, with a strategic-merge patch.
	 * @param patch the patch, as JSON
	 */
	public void patchService(String patch) {
		try {
			PatchUtils.patch(V1Service.class,
					() -> this.cluster.core()
						.patchNamespacedService(this.name, this.namespace, new V1Patch(patch))
						.buildCall(null),
					V1Patch.PATCH_FORMAT_STRATEGIC_MERGE_PATCH, this.cluster.apiClient());
		}
		catch (ApiException ex) {
			throw new IllegalStateException(
					"Cannot patch Service " + this.namespace + "/" + this.name + ": " + TestNamespace.describe(ex), ex);
		}
	}

	/**
	 * The app's pods (label {@code app=<appLabel>}).
	 * @return the pods as the API server has them
	 */
	public List<V1Pod> pods() {
		try {
			return this.cluster.core()
				.listNamespacedPod(this.namespace)
				.labelSelector("app=" + this.spec.appLabel())
				.execute()
				.getItems();
		}
		catch (ApiException ex) {
			throw new IllegalStateException(
					"Cannot list pods of " + this.namespace + "/" + this.name + ": " + TestNamespace.describe(ex), ex);
		}
	}

	/**
	 * Polls the Deployment until {@code status.availableReplicas} is {@code n} (absent
	 * counts as 0).
	 * @param n the number of available replicas to wait for
	 * @param timeout how long to wait
	 * @return the Deployment as last read
	 * @throws AssertionError on timeout, with the Deployment's status and its pods'
	 * conditions
	 */
	public V1Deployment awaitAvailable(int n, Duration timeout) {
		Instant deadline = Instant.now().plus(timeout);
		while (true) {
			V1Deployment deployment = deployment();
			Integer available = (deployment.getStatus() != null) ? deployment.getStatus().getAvailableReplicas() : null;
			if (Objects.requireNonNullElse(available, 0) == n) {
				return deployment;
			}
			if (Instant.now().isAfter(deadline)) {
				throw new AssertionError("Deployment " + this.namespace + "/" + this.name + " did not reach " + n
						+ " available replicas within " + timeout + "; status: " + deployment.getStatus() + "; pods: "
						+ describePods());
			}
			TestNamespace.sleep(Duration.ofMillis(200));
		}
	}

	/**
	 * Polls the Service's EndpointSlices until one of them lists a ready endpoint: when
	 * the EndpointSlice controller has caught up with the pods, which after an outage of
	 * the API can be well after the Deployment is available.
	 * @param timeout how long to wait
	 * @throws AssertionError on timeout
	 */
	public void awaitRoutable(Duration timeout) {
		Instant deadline = Instant.now().plus(timeout);
		while (readyEndpoints() == 0) {
			if (Instant.now().isAfter(deadline)) {
				throw new AssertionError("Service " + this.namespace + "/" + this.name
						+ " had no ready endpoint within " + timeout + "; pods: " + describePods());
			}
			TestNamespace.sleep(Duration.ofMillis(200));
		}
	}

	private long readyEndpoints() {
		try {
			return this.cluster.discovery()
				.listNamespacedEndpointSlice(this.namespace)
				.labelSelector("kubernetes.io/service-name=" + this.name)
				.execute()
				.getItems()
				.stream()
				.flatMap((slice) -> Objects.requireNonNullElse(slice.getEndpoints(), List.<V1Endpoint>of()).stream())
				.filter((endpoint) -> endpoint.getConditions() != null
						&& Boolean.TRUE.equals(endpoint.getConditions().getReady()))
				.count();
		}
		catch (ApiException ex) {
			throw new IllegalStateException("Cannot list the EndpointSlices of Service " + this.namespace + "/"
					+ this.name + ": " + TestNamespace.describe(ex), ex);
		}
	}

	/**
	 * Polls the Deployment until the deployment controller has seen its current spec
	 * ({@code status.observedGeneration == metadata.generation}) and reports the rollout
	 * complete (condition {@code Progressing} with reason
	 * {@code NewReplicaSetAvailable}), so that the controller's own status writes are
	 * over before a test compares resource versions or counts writes.
	 * {@link TestNamespace#createIdledApp} does this before it returns.
	 * @param timeout how long to wait
	 * @return the Deployment as last read
	 */
	public V1Deployment awaitRolloutComplete(Duration timeout) {
		Instant deadline = Instant.now().plus(timeout);
		while (true) {
			V1Deployment deployment = deployment();
			V1DeploymentStatus status = deployment.getStatus();
			boolean observed = status != null && status.getObservedGeneration() != null
					&& status.getObservedGeneration().equals(deployment.getMetadata().getGeneration());
			boolean complete = status != null && status.getConditions() != null && status.getConditions()
				.stream()
				.anyMatch((c) -> "Progressing".equals(c.getType()) && "NewReplicaSetAvailable".equals(c.getReason()));
			if (observed && complete) {
				return deployment;
			}
			if (Instant.now().isAfter(deadline)) {
				throw new AssertionError("The rollout of Deployment " + this.namespace + "/" + this.name
						+ " did not complete within " + timeout + "; status: " + status);
			}
			TestNamespace.sleep(Duration.ofMillis(50));
		}
	}

	private String describePods() {
		return pods().stream().map((pod) -> {
			List<V1PodCondition> conditions = (pod.getStatus() != null && pod.getStatus().getConditions() != null)
					? pod.getStatus().getConditions() : List.of();
			return pod.getMetadata().getName() + " "
					+ conditions.stream()
						.map((c) -> c.getType() + "=" + c.getStatus()
								+ ((c.getReason() != null) ? "(" + c.getReason() + ": " + c.getMessage() + ")" : ""))
						.collect(Collectors.joining(", ", "[", "]"));
		}).collect(Collectors.joining("; ", "{", "}"));
	}

}
