package dev.unidler.wake;

import dev.unidler.app.AppKey;
import dev.unidler.app.ServiceSpec;

/**
 * An idled app, found and planned: its objects and what it gets back.
 *
 * @param key how it was found
 * @param namespace the namespace of its Deployment and Service
 * @param deployment the Deployment's name
 * @param service the Service's name
 * @param replicas the replica count to restore
 * @param serviceSpec the Service spec to restore
 */
record App(AppKey key, String namespace, String deployment, String service, int replicas, ServiceSpec serviceSpec) {

	String qualifiedName() {
		return this.namespace + "/" + this.deployment;
	}

}
