package dev.unidler.idle;

import dev.unidler.app.AppKey;
import dev.unidler.app.DeploymentState;
import dev.unidler.app.ServiceState;

/**
 * An app an idle was asked for, as read from the cluster.
 *
 * @param key the lookup label it carries, which its requests and wakes use
 * @param deployment its Deployment
 * @param service its Service
 */
public record IdleApp(AppKey key, DeploymentState deployment, ServiceState service) {

	public String namespace() {
		return this.deployment.namespace();
	}

	/** {@code namespace/deployment}: what operations claim. */
	public String qualifiedName() {
		return this.deployment.qualifiedName();
	}

}
