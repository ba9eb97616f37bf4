package dev.unidler.deploy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import dev.unidler.cluster.TestCluster;
import dev.unidler.cluster.TestNamespace;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.RbacAuthorizationV1Api;
import io.kubernetes.client.openapi.models.RbacV1Subject;
import io.kubernetes.client.openapi.models.V1ClusterRole;
import io.kubernetes.client.openapi.models.V1ClusterRoleBinding;
import io.kubernetes.client.openapi.models.V1Role;
import io.kubernetes.client.openapi.models.V1RoleBinding;
import io.kubernetes.client.util.Yaml;

/**
 * The ClusterRole and ClusterRoleBinding of {@code deploy/base/rbac.yaml}, created for
 * real under a name unique to one test (cluster-scoped objects outlive the test's
 * namespace), bound to a ServiceAccount of the test's namespace. Deleted on
 * {@link #close()}.
 *
 * @param cluster the cluster
 * @param role the ClusterRole as created
 * @param binding the ClusterRoleBinding as created
 */
record DeployedRbac(TestCluster cluster, V1ClusterRole role, V1ClusterRoleBinding binding) implements AutoCloseable {

	static DeployedRbac create(TestCluster cluster, TestNamespace namespace, Path rbacYaml)
			throws IOException, ApiException {
		List<Object> objects = Yaml.loadAll(rbacYaml.toFile());
		V1ClusterRole role = only(objects, V1ClusterRole.class);
		V1ClusterRoleBinding binding = only(objects, V1ClusterRoleBinding.class);
		String name = role.getMetadata().getName() + "-" + namespace.name();
		role.getMetadata().setName(name);
		binding.getMetadata().setName(name);
		binding.getRoleRef().setName(name);
		// Kustomize sets the subject's namespace to the installation's; here it is the
		// test's.
		for (RbacV1Subject subject : binding.getSubjects()) {
			subject.setNamespace(namespace.name());
		}
		RbacAuthorizationV1Api rbac = new RbacAuthorizationV1Api(cluster.apiClient());
		// The Leases' Role, in the namespace the unidler is "installed" in: the test's.
		List<Object> leases = Yaml.loadAll(rbacYaml.resolveSibling("rbac-leases.yaml").toFile());
		rbac.createNamespacedRole(namespace.name(), only(leases, V1Role.class)).execute();
		V1RoleBinding leasesBinding = only(leases, V1RoleBinding.class);
		leasesBinding.getSubjects().forEach((subject) -> subject.setNamespace(namespace.name()));
		rbac.createNamespacedRoleBinding(namespace.name(), leasesBinding).execute();
		V1ClusterRole createdRole = rbac.createClusterRole(role).execute();
		try {
			return new DeployedRbac(cluster, createdRole, rbac.createClusterRoleBinding(binding).execute());
		}
		catch (ApiException ex) {
			rbac.deleteClusterRole(name).execute();
			throw ex;
		}
	}

	/** The ServiceAccount the binding names (the one the Deployment runs as). */
	String serviceAccount() {
		return this.binding.getSubjects().get(0).getName();
	}

	private static <T> T only(List<Object> objects, Class<T> type) {
		List<T> matching = objects.stream().filter(type::isInstance).map(type::cast).toList();
		if (matching.size() != 1) {
			throw new IllegalStateException(
					"Expected one " + type.getSimpleName() + " in an RBAC manifest, found " + matching.size());
		}
		return matching.get(0);
	}

	@Override
	public void close() throws ApiException {
		RbacAuthorizationV1Api rbac = new RbacAuthorizationV1Api(this.cluster.apiClient());
		rbac.deleteClusterRoleBinding(this.binding.getMetadata().getName()).execute();
		rbac.deleteClusterRole(this.role.getMetadata().getName()).execute();
	}

}
