package dev.unidler.app;

/**
 * What identifies an app: the request host and the label that finds its Deployment and
 * Service.
 *
 * @param host the request host, lower-cased, without port
 * @param label the lookup label key
 * @param value the lookup label value derived from the host
 */
public record AppKey(String host, String label, String value) {

	/** The label selector that finds the app's objects. */
	public String selector() {
		return this.label + "=" + this.value;
	}

	@Override
	public String toString() {
		return this.selector();
	}

}
