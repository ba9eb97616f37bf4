package dev.unidler.bench;

/**
 * An idled app the benchmark creates: a Deployment and a Service, both called
 * {@link #name()}, labelled {@code host=<host>}.
 *
 * @param namespace its namespace
 * @param name the Deployment's and the Service's name
 * @param host its host
 * @param nodeLabel a node label its pods select ({@code <label>=true}), so that they wait
 * until a node carries it; {@code null}: any node
 * @param paused whether the Deployment is paused, so that the controller-manager creates
 * no ReplicaSet for it (apps that are only counted, never woken)
 */
record BenchApp(String namespace, String name, String host, String nodeLabel, boolean paused) {

	static BenchApp of(String namespace, String name, String nodeLabel) {
		return new BenchApp(namespace, name, name + "." + namespace + ".bench.test", nodeLabel, false);
	}

}
