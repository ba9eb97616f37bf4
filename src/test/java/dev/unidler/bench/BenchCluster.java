package dev.unidler.bench;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.apis.RbacAuthorizationV1Api;
import io.kubernetes.client.openapi.models.AuthenticationV1TokenRequest;
import io.kubernetes.client.openapi.models.RbacV1Subject;
import io.kubernetes.client.openapi.models.V1ClusterRole;
import io.kubernetes.client.openapi.models.V1ClusterRoleBinding;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ContainerPort;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1DeploymentSpec;
import io.kubernetes.client.openapi.models.V1LabelSelector;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1NodeCondition;
import io.kubernetes.client.openapi.models.V1NodeStatus;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1PodTemplateSpec;
import io.kubernetes.client.openapi.models.V1Role;
import io.kubernetes.client.openapi.models.V1RoleBinding;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.kubernetes.client.openapi.models.V1ServicePort;
import io.kubernetes.client.openapi.models.V1ServiceSpec;
import io.kubernetes.client.openapi.models.V1TokenRequestSpec;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;
import io.kubernetes.client.util.PatchUtils;
import io.kubernetes.client.util.Yaml;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The local control plane as the benchmark uses it, with the admin's rights: the
 * unidler's own identity, namespaces of idled apps, and a fake node of its own.
 *
 * @param client an admin client
 * @param kubeconfig the admin kubeconfig
 * @param auditLog the API server's audit log
 * @param root the repository root ({@code deploy/base} holds the RBAC the unidler gets)
 */
record BenchCluster(ApiClient client, Path kubeconfig, Path auditLog, Path root) {

	/**
	 * The namespace of the unidler's identity; the audit policy logs all its requests.
	 */
	static final String NAMESPACE = "unidler-bench";

	static final String SERVICE_ACCOUNT = "unidler";

	static final String USER = "system:serviceaccount:" + NAMESPACE + ":" + SERVICE_ACCOUNT;

	/** The bench's own fake node: room for a thousand pods, and labels per run. */
	static final String NODE = "unidler-bench-node";

	/** Node selector of apps that must never be scheduled: no node has this label. */
	static final String NEVER_LABEL = "bench.unidler.dev/never";

	static final String IDLED_LABEL = "mojanalytics.xyz/idled";

	static final String IDLED_AT = "mojanalytics.xyz/idled-at";

	static final String REPLICAS = "mojanalytics.xyz/replicas-when-unidled";

	/** The name {@code deploy/} gives the unidler; idled Services point there. */
	static final String UNIDLER_NAME = "unidler.unidler.svc.cluster.local";

	private static final int CREATORS = 12;

	static BenchCluster of(Path kubeconfig, Path root) throws IOException {
		return new BenchCluster(client(kubeconfig, Duration.ofSeconds(60)), kubeconfig,
				kubeconfig.resolveSibling("audit.log"), root);
	}

	/** Another admin client, for watches: {@link Duration#ZERO} reads without timeout. */
	ApiClient newClient(Duration readTimeout) throws IOException {
		return client(this.kubeconfig, readTimeout);
	}

	private static ApiClient client(Path kubeconfig, Duration readTimeout) throws IOException {
		try (Reader reader = Files.newBufferedReader(kubeconfig, StandardCharsets.UTF_8)) {
			return ClientBuilder.kubeconfig(KubeConfig.loadKubeConfig(reader)).setReadTimeout(readTimeout).build();
		}
	}

	CoreV1Api core() {
		return new CoreV1Api(this.client);
	}

	AppsV1Api apps() {
		return new AppsV1Api(this.client);
	}

	AuditLog audit() {
		return new AuditLog(this.auditLog, USER);
	}

	/**
	 * Gives the unidler the identity {@code deploy/} gives it: ServiceAccount
	 * {@code unidler} bound to the ClusterRole of {@code deploy/base/rbac.yaml} and the
	 * Leases' Role of {@code rbac-leases.yaml} in its namespace, and writes a kubeconfig
	 * with a token of that ServiceAccount. Checks that the audit log records its
	 * requests.
	 * @param dir where the kubeconfig goes
	 * @return the kubeconfig
	 */
	Path unidlerIdentity(Path dir) throws IOException, ApiException, InterruptedException {
		ensureNamespace(NAMESPACE);
		createOrKeep(() -> core()
			.createNamespacedServiceAccount(NAMESPACE,
					new V1ServiceAccount().metadata(new V1ObjectMeta().name(SERVICE_ACCOUNT)))
			.execute());
		Path base = this.root.resolve("deploy/base");
		RbacAuthorizationV1Api rbac = new RbacAuthorizationV1Api(this.client);
		List<Object> cluster = Yaml.loadAll(base.resolve("rbac.yaml").toFile());
		V1ClusterRole role = only(cluster, V1ClusterRole.class);
		V1ClusterRoleBinding binding = only(cluster, V1ClusterRoleBinding.class);
		role.getMetadata().setName(NAMESPACE);
		binding.getMetadata().setName(NAMESPACE);
		binding.getRoleRef().setName(NAMESPACE);
		binding.getSubjects().forEach((subject) -> subject.namespace(NAMESPACE).name(SERVICE_ACCOUNT));
		replaceOrCreate(() -> rbac.replaceClusterRole(NAMESPACE, role).execute(),
				() -> rbac.createClusterRole(role).execute());
		replaceOrCreate(() -> rbac.replaceClusterRoleBinding(NAMESPACE, binding).execute(),
				() -> rbac.createClusterRoleBinding(binding).execute());
		List<Object> leases = Yaml.loadAll(base.resolve("rbac-leases.yaml").toFile());
		V1Role leaseRole = only(leases, V1Role.class);
		V1RoleBinding leaseBinding = only(leases, V1RoleBinding.class);
		for (RbacV1Subject subject : leaseBinding.getSubjects()) {
			subject.namespace(NAMESPACE);
		}
		String roleName = leaseRole.getMetadata().getName();
		String bindingName = leaseBinding.getMetadata().getName();
		replaceOrCreate(() -> rbac.replaceNamespacedRole(roleName, NAMESPACE, leaseRole).execute(),
				() -> rbac.createNamespacedRole(NAMESPACE, leaseRole).execute());
		replaceOrCreate(() -> rbac.replaceNamespacedRoleBinding(bindingName, NAMESPACE, leaseBinding).execute(),
				() -> rbac.createNamespacedRoleBinding(NAMESPACE, leaseBinding).execute());

		String token = core()
			.createNamespacedServiceAccountToken(SERVICE_ACCOUNT, NAMESPACE,
					new AuthenticationV1TokenRequest().spec(new V1TokenRequestSpec().expirationSeconds(4 * 3600L)))
			.execute()
			.getStatus()
			.getToken();
		Path kubeconfig = writeKubeconfig(dir, token);
		checkAudited(kubeconfig);
		return kubeconfig;
	}

	/**
	 * A kubeconfig for the API server of the admin's, with the ServiceAccount's token.
	 */
	private Path writeKubeconfig(Path dir, String token) throws IOException {
		KubeConfig admin;
		try (Reader reader = Files.newBufferedReader(this.kubeconfig, StandardCharsets.UTF_8)) {
			admin = KubeConfig.loadKubeConfig(reader);
		}
		Map<String, Object> cluster = new LinkedHashMap<>();
		cluster.put("server", admin.getServer());
		if (admin.getCertificateAuthorityData() != null) {
			cluster.put("certificate-authority-data", admin.getCertificateAuthorityData());
		}
		else {
			cluster.put("insecure-skip-tls-verify", true);
		}
		Map<String, Object> config = new LinkedHashMap<>();
		config.put("apiVersion", "v1");
		config.put("kind", "Config");
		config.put("clusters", List.of(Map.of("name", "bench", "cluster", cluster)));
		config.put("users", List.of(Map.of("name", SERVICE_ACCOUNT, "user", Map.of("token", token))));
		config.put("contexts", List.of(Map.of("name", "bench", "context",
				Map.of("cluster", "bench", "user", SERVICE_ACCOUNT, "namespace", NAMESPACE))));
		config.put("current-context", "bench");
		Files.createDirectories(dir);
		Path file = dir.resolve("unidler-kubeconfig");
		Files.deleteIfExists(file);
		Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
		Files.writeString(file, new org.yaml.snakeyaml.Yaml().dump(config), StandardCharsets.UTF_8);
		return file;
	}

	/**
	 * A cluster started by an older {@code scripts/cluster.sh} logs writes only: the
	 * counts would all be 0. One read as the unidler must show in the log.
	 */
	private void checkAudited(Path kubeconfig) throws IOException, InterruptedException {
		AuditLog audit = audit();
		long mark = audit.mark();
		try (Reader reader = Files.newBufferedReader(kubeconfig, StandardCharsets.UTF_8)) {
			ApiClient unidler = ClientBuilder.kubeconfig(KubeConfig.loadKubeConfig(reader)).build();
			new AppsV1Api(unidler).listNamespacedDeployment(NAMESPACE).limit(1).execute();
		}
		catch (ApiException ex) {
			throw new IllegalStateException(
					"The unidler's identity cannot list Deployments: HTTP " + ex.getCode() + " " + ex.getResponseBody(),
					ex);
		}
		for (int i = 0; i < 40; i++) {
			if (audit.since(mark).reads() > 0) {
				return;
			}
			Thread.sleep(50);
		}
		throw new IllegalStateException("The audit log " + this.auditLog + " does not record the reads of " + USER
				+ ": the cluster was started by an older scripts/cluster.sh. Restart it (scripts/cluster.sh down, then up).");
	}

	/**
	 * Creates a namespace, waiting out an earlier one of the name that is still going.
	 */
	void ensureNamespace(String name) throws ApiException, InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
		while (true) {
			try {
				V1Namespace existing = core().readNamespace(name).execute();
				if (existing.getMetadata().getDeletionTimestamp() == null) {
					return;
				}
			}
			catch (ApiException ex) {
				if (ex.getCode() != 404) {
					throw ex;
				}
				try {
					core().createNamespace(new V1Namespace().metadata(new V1ObjectMeta().name(name))).execute();
					return;
				}
				catch (ApiException conflict) {
					if (conflict.getCode() != 409) {
						throw conflict;
					}
				}
			}
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("Namespace " + name + " is still being deleted after 90 s");
			}
			Thread.sleep(500);
		}
	}

	/** A new namespace for one scenario's apps, {@code <prefix>-<random>}. */
	String newNamespace(String prefix) throws ApiException, InterruptedException {
		String name = prefix + "-" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 30), 36);
		ensureNamespace(name);
		// Pods cannot be created before the controller-manager gave the namespace its
		// default ServiceAccount.
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (true) {
			try {
				core().readNamespacedServiceAccount("default", name).execute();
				return name;
			}
			catch (ApiException ex) {
				if (ex.getCode() != 404 || System.nanoTime() > deadline) {
					throw ex;
				}
			}
			Thread.sleep(100);
		}
	}

	/** Deletes a namespace without waiting for it to go. */
	void deleteNamespace(String name) {
		try {
			core().deleteNamespace(name).propagationPolicy("Background").execute();
		}
		catch (ApiException ex) {
			if (ex.getCode() != 404) {
				System.err.println("[bench] could not delete namespace " + name + ": HTTP " + ex.getCode());
			}
		}
	}

	/**
	 * Creates idled apps as the existing idler leaves them: a Deployment scaled to 0 with
	 * the idled label and annotations (one replica to restore), and an
	 * {@code ExternalName} Service pointing at the unidler. Runs a bounded pool of
	 * creators.
	 * @param apps what to create
	 * @param timeout the longest it may take
	 */
	void createIdledApps(List<BenchApp> apps, Duration timeout) throws InterruptedException {
		ExecutorService creators = Executors.newFixedThreadPool(CREATORS, Thread.ofPlatform().daemon().factory());
		try {
			List<Future<?>> futures = new ArrayList<>();
			for (BenchApp app : apps) {
				futures.add(creators.submit(() -> {
					createIdledApp(app);
					return null;
				}));
			}
			long deadline = System.nanoTime() + timeout.toNanos();
			for (Future<?> future : futures) {
				future.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
			}
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException("Cannot create the idled apps: " + ex.getCause().getMessage(),
					ex.getCause());
		}
		catch (TimeoutException ex) {
			throw new IllegalStateException("Creating " + apps.size() + " idled apps took longer than " + timeout, ex);
		}
		finally {
			creators.shutdownNow();
		}
	}

	private void createIdledApp(BenchApp app) throws ApiException {
		V1PodSpec pod = new V1PodSpec().addContainersItem(new V1Container().name("app")
			.image("registry.example/app:1")
			.addPortsItem(new V1ContainerPort().name("http").containerPort(3000)));
		if (app.nodeLabel() != null) {
			pod.putNodeSelectorItem(app.nodeLabel(), "true");
		}
		V1Deployment deployment = new V1Deployment()
			.metadata(new V1ObjectMeta().name(app.name())
				.namespace(app.namespace())
				.putLabelsItem("app", app.name())
				.putLabelsItem("host", app.host())
				.putLabelsItem(IDLED_LABEL, "true")
				.putAnnotationsItem(IDLED_AT, "2018-02-07T11:44:20+00:00")
				.putAnnotationsItem(REPLICAS, "1"))
			.spec(new V1DeploymentSpec().replicas(0)
				.paused(app.paused() ? Boolean.TRUE : null)
				.selector(new V1LabelSelector().putMatchLabelsItem("app", app.name()))
				.template(new V1PodTemplateSpec().metadata(new V1ObjectMeta().putLabelsItem("app", app.name()))
					.spec(pod)));
		V1Service service = new V1Service()
			.metadata(new V1ObjectMeta().name(app.name())
				.namespace(app.namespace())
				.putLabelsItem("app", app.name())
				.putLabelsItem("host", app.host()))
			.spec(new V1ServiceSpec().type("ExternalName")
				.externalName(UNIDLER_NAME)
				.addPortsItem(new V1ServicePort().name("http").port(80)));
		apps().createNamespacedDeployment(app.namespace(), deployment).execute();
		core().createNamespacedService(app.namespace(), service).execute();
	}

	/**
	 * Creates the bench's fake node (KWOK runs its pods) and waits until pods can be
	 * scheduled on it.
	 */
	void createNode() throws ApiException, InterruptedException {
		Map<String, Quantity> capacity = Map.of("cpu", Quantity.fromString("1000"), "memory",
				Quantity.fromString("4Ti"), "pods", Quantity.fromString("3000"));
		V1Node node = new V1Node()
			.metadata(new V1ObjectMeta().name(NODE)
				.putAnnotationsItem("kwok.x-k8s.io/node", "fake")
				.putAnnotationsItem("node.alpha.kubernetes.io/ttl", "0")
				.putLabelsItem("kubernetes.io/arch", "amd64")
				.putLabelsItem("kubernetes.io/hostname", NODE)
				.putLabelsItem("kubernetes.io/os", "linux")
				.putLabelsItem("type", "kwok"))
			.status(new V1NodeStatus().allocatable(capacity).capacity(capacity));
		createOrKeep(() -> core().createNode(node).execute());
		long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
		while (true) {
			V1Node current = core().readNode(NODE).execute();
			boolean ready = current.getStatus() != null && current.getStatus().getConditions() != null
					&& current.getStatus()
						.getConditions()
						.stream()
						.anyMatch((V1NodeCondition c) -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
			boolean untainted = current.getSpec() == null || current.getSpec().getTaints() == null
					|| current.getSpec().getTaints().isEmpty();
			if (ready && untainted) {
				return;
			}
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("Node " + NODE + " was not Ready and untainted within 90 s");
			}
			Thread.sleep(200);
		}
	}

	/**
	 * Labels the bench's node {@code <label>=true}: pods that select it get scheduled.
	 */
	void labelNode(String label) throws ApiException {
		ObjectNode patch = JsonMapper.shared().createObjectNode();
		patch.putObject("metadata").putObject("labels").put(label, "true");
		PatchUtils.patch(V1Node.class, () -> core().patchNode(NODE, new V1Patch(patch.toString())).buildCall(null),
				V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, this.client);
	}

	void deleteNode() {
		try {
			core().deleteNode(NODE).execute();
		}
		catch (ApiException ex) {
			if (ex.getCode() != 404) {
				System.err.println("[bench] could not delete node " + NODE + ": HTTP " + ex.getCode());
			}
		}
	}

	private static <T> T only(List<Object> objects, Class<T> type) {
		List<T> matching = objects.stream().filter(type::isInstance).map(type::cast).toList();
		if (matching.size() != 1) {
			throw new IllegalStateException("Expected one " + type.getSimpleName() + ", found " + matching.size());
		}
		return matching.get(0);
	}

	private interface Call {

		Object call() throws ApiException;

	}

	private static void createOrKeep(Call create) throws ApiException {
		try {
			create.call();
		}
		catch (ApiException ex) {
			if (ex.getCode() != 409) {
				throw ex;
			}
		}
	}

	private static void replaceOrCreate(Call replace, Call create) throws ApiException {
		try {
			replace.call();
		}
		catch (ApiException ex) {
			if (ex.getCode() != 404) {
				throw ex;
			}
			create.call();
		}
	}

}
