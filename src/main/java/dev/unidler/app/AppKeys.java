package dev.unidler.app;

import dev.unidler.UnidlerProperties;

import org.springframework.stereotype.Component;

/**
 * Derives the lookup label value from a request host the way the existing idler does.
 */
@Component
public final class AppKeys {

	static final String FIRST_DNS_LABEL = "unidle-key";

	private static final int LABEL_VALUE_LIMIT = 63;

	private final String lookupLabel;

	public AppKeys(UnidlerProperties properties) {
		this.lookupLabel = properties.labels().lookup();
	}

	/**
	 * The key of the app served at a host.
	 * @param host a valid DNS name, lower-cased, without port
	 * @return the key
	 */
	public AppKey forHost(String host) {
		String value = FIRST_DNS_LABEL.equals(this.lookupLabel) ? firstDnsLabel(host) : asLabelValue(host);
		return new AppKey(host, this.lookupLabel, value);
	}

	private static String firstDnsLabel(String host) {
		int dot = host.indexOf('.');
		return (dot < 0) ? host : host.substring(0, dot);
	}

	/** Label values are at most 63 characters and must end alphanumeric. */
	private static String asLabelValue(String host) {
		String value = (host.length() > LABEL_VALUE_LIMIT) ? host.substring(0, LABEL_VALUE_LIMIT) : host;
		int end = value.length();
		while (end > 0 && !Character.isLetterOrDigit(value.charAt(end - 1))) {
			end--;
		}
		return value.substring(0, end);
	}

}
