package dev.unidler.kubernetes;

/**
 * Hears of every request the unidler's Kubernetes client sends, as the client's HTTP
 * layer sees it: metrics. Beans of this type are told by every {@code ApiClient} bean.
 * <p>
 * Called on the thread that sent the request (a thread of the Kubernetes call scheduler,
 * an informer's, OkHttp's own): it must be quick and must not throw.
 */
@FunctionalInterface
public interface ApiRequestObserver {

	/**
	 * A request got its answer, or none.
	 * @param request what it was, in bounded terms
	 */
	void requested(ApiRequest request);

}
