package dev.unidler.wake;

import dev.unidler.app.AppKey;

/**
 * An idled app, found and planned: its objects and how many replicas it gets back. Its
 * Service spec is not kept here: the step that repoints the Service reads it from the
 * Service as it is then.
 *
 * @param key how it was found
 * @param namespace the namespace of its Deployment and Service
 * @param deployment the Deployment's name
 * @param service the Service's name
 * @param replicas the replica count to restore, as the lookup read it
 */
record App(AppKey key, String namespace, String deployment, String service, int replicas) {

	String qualifiedName() {
		return this.namespace + "/" + this.deployment;
	}

}
