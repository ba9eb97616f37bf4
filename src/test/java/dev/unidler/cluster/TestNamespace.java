package dev.unidler.cluster;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.AuthenticationV1TokenRequest;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ContainerPort;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1DeploymentSpec;
import io.kubernetes.client.openapi.models.V1LabelSelector;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1PodTemplateSpec;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.kubernetes.client.openapi.models.V1ServicePort;
import io.kubernetes.client.openapi.models.V1ServiceSpec;
import io.kubernetes.client.openapi.models.V1TokenRequestSpec;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;
import io.kubernetes.client.util.credentials.AccessTokenAuthentication;

/**
 * A fresh namespace of the real cluster for one test method, deleted after it.
 *
 * @param cluster the cluster
 * @param name the namespace's name ({@code t-<test-name>-<random>})
 */
public record TestNamespace(TestCluster cluster, String name) {

	/** Label on every namespace the tests create. */
	public static final String TEST_LABEL = "unidler.dev/test";

	/** Container image of the fixture apps (never pulled: KWOK runs no containers). */
	public static final String APP_IMAGE = "registry.example/app:1";

	/** Port the fixture apps' containers listen on. */
	public static final int APP_PORT = 3000;

	/** Node selector of unschedulable fixture apps; no node has this label. */
	public static final String NO_SUCH_NODE_LABEL = "unidler.dev/no-such-node";

	static TestNamespace create(TestCluster cluster, String name) {
		V1Namespace namespace = new V1Namespace()
			.metadata(new V1ObjectMeta().name(name).putLabelsItem(TEST_LABEL, "true"));
		try {
			cluster.core().createNamespace(namespace).execute();
		}
		catch (ApiException ex) {
			throw new IllegalStateException("Cannot create namespace " + name + ": " + describe(ex), ex);
		}
		TestNamespace testNamespace = new TestNamespace(cluster, name);
		testNamespace.awaitDefaultServiceAccount(Duration.ofSeconds(30));
		return testNamespace;
	}

	/**
	 * Pods cannot be created in a namespace before the controller-manager gave it its
	 * {@code default} ServiceAccount; waiting here keeps first rollouts fast.
	 */
	private void awaitDefaultServiceAccount(Duration timeout) {
		Instant deadline = Instant.now().plus(timeout);
		while (true) {
			try {
				this.cluster.core().readNamespacedServiceAccount("default", this.name).execute();
				return;
			}
			catch (ApiException ex) {
				if (ex.getCode() != 404) {
					throw new IllegalStateException("Cannot read ServiceAccount default in " + this.name, ex);
				}
			}
			if (Instant.now().isAfter(deadline)) {
				throw new IllegalStateException("Namespace " + this.name + " got no default ServiceAccount within "
						+ timeout.toSeconds() + " s: is kube-controller-manager running?");
			}
			sleep(Duration.ofMillis(100));
		}
	}

	/**
	 * A host of its own for an app in this namespace:
	 * {@code <app>-<suffix>.example.test}, so that tests never share one.
	 */
	public String host(String app) {
		return app + "-" + this.name.substring(this.name.lastIndexOf('-') + 1) + ".example.test";
	}

	/**
	 * Creates an app in the idled state the existing idler leaves behind (DESIGN §2): a
	 * Deployment scaled to 0 with the idled label and annotations, and an
	 * {@code ExternalName} Service pointing at the unidler (by default under the name
	 * {@code deploy/} gives it).
	 * @param spec what to create
	 * @return the created app
	 */
	public IdledApp createIdledApp(IdledAppSpec spec) {
		Map<String, String> lookup = Map.of(spec.lookupLabel(), spec.lookupValue());
		V1ObjectMeta deploymentMeta = new V1ObjectMeta().name(spec.name())
			.namespace(this.name)
			.putLabelsItem("app", spec.appLabel())
			.putLabelsItem(IdledAppSpec.IDLED_LABEL, "true")
			.putAnnotationsItem(IdledAppSpec.IDLED_AT_ANNOTATION, spec.idledAt());
		lookup.forEach(deploymentMeta::putLabelsItem);
		if (spec.replicasAnnotation() != null) {
			deploymentMeta.putAnnotationsItem(IdledAppSpec.REPLICAS_ANNOTATION, spec.replicasAnnotation());
		}
		V1PodSpec podSpec = new V1PodSpec().addContainersItem(new V1Container().name("app")
			.image(APP_IMAGE)
			.addPortsItem(new V1ContainerPort().name("http").containerPort(APP_PORT)));
		if (spec.unschedulable()) {
			podSpec.putNodeSelectorItem(NO_SUCH_NODE_LABEL, "true");
		}
		V1Deployment deployment = new V1Deployment().metadata(deploymentMeta)
			.spec(new V1DeploymentSpec().replicas(0)
				.selector(new V1LabelSelector().putMatchLabelsItem("app", spec.appLabel()))
				.template(new V1PodTemplateSpec().metadata(new V1ObjectMeta().putLabelsItem("app", spec.appLabel()))
					.spec(podSpec)));

		V1ObjectMeta serviceMeta = new V1ObjectMeta().name(spec.name())
			.namespace(this.name)
			.putLabelsItem("app", spec.appLabel());
		lookup.forEach(serviceMeta::putLabelsItem);
		V1Service service = new V1Service().metadata(serviceMeta)
			.spec(new V1ServiceSpec().type("ExternalName")
				.externalName(spec.externalName())
				.addPortsItem(new V1ServicePort().name("http").port(80)));
		try {
			this.cluster.apps().createNamespacedDeployment(this.name, deployment).execute();
			this.cluster.core().createNamespacedService(this.name, service).execute();
		}
		catch (ApiException ex) {
			throw new IllegalStateException(
					"Cannot create idled app " + spec.name() + " in " + this.name + ": " + describe(ex), ex);
		}
		IdledApp app = new IdledApp(this.cluster, this.name, spec.name(), spec.host(), spec);
		app.awaitRolloutComplete(Duration.ofSeconds(30));
		return app;
	}

	/**
	 * A client that authenticates as a ServiceAccount of this namespace (created if
	 * missing) with a fresh token from the TokenRequest API. It has no permissions beyond
	 * what RBAC objects the test creates grant it.
	 * @param serviceAccount the ServiceAccount's name
	 * @return a new client (read timeout 60 s)
	 */
	public ApiClient serviceAccountClient(String serviceAccount) {
		try {
			try {
				this.cluster.core()
					.createNamespacedServiceAccount(this.name,
							new V1ServiceAccount().metadata(new V1ObjectMeta().name(serviceAccount)))
					.execute();
			}
			catch (ApiException ex) {
				if (ex.getCode() != 409) {
					throw ex;
				}
			}
			AuthenticationV1TokenRequest request = new AuthenticationV1TokenRequest()
				.spec(new V1TokenRequestSpec().expirationSeconds(3600L));
			String token = this.cluster.core()
				.createNamespacedServiceAccountToken(serviceAccount, this.name, request)
				.execute()
				.getStatus()
				.getToken();
			try (Reader reader = Files.newBufferedReader(this.cluster.kubeconfig(), StandardCharsets.UTF_8)) {
				return ClientBuilder.kubeconfig(KubeConfig.loadKubeConfig(reader))
					.setAuthentication(new AccessTokenAuthentication(token))
					.setReadTimeout(TestCluster.READ_TIMEOUT)
					.build();
			}
		}
		catch (ApiException ex) {
			throw new IllegalStateException(
					"Cannot get a token for ServiceAccount " + this.name + "/" + serviceAccount + ": " + describe(ex),
					ex);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Another fresh namespace, for tests about more than one tenant; the caller deletes
	 * it with {@link #delete()}.
	 * @param label what it is for, a DNS label of at most 40 characters
	 * @return the new namespace
	 */
	public TestNamespace sibling(String label) {
		return create(this.cluster, "t-" + label + "-" + this.name.substring(this.name.lastIndexOf('-') + 1));
	}

	/** Deletes the namespace, without waiting for it to go. */
	public void delete() {
		try {
			this.cluster.core().deleteNamespace(this.name).propagationPolicy("Background").execute();
		}
		catch (ApiException ex) {
			if (ex.getCode() != 404) {
				System.err.println("[cluster] could not delete namespace " + this.name + ": " + describe(ex));
			}
		}
	}

	static String describe(ApiException ex) {
		return "HTTP " + ex.getCode() + " " + ex.getResponseBody();
	}

	static void sleep(Duration duration) {
		try {
			Thread.sleep(duration);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted", ex);
		}
	}

}
