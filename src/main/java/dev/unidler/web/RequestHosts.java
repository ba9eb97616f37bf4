package dev.unidler.web;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Reads the {@code Host} header as a DNS name: lower-cased, port and trailing dot
 * removed. Anything else (IPv6 literals, underscores, empty labels, over-long names, a
 * port outside 1–65535) is refused.
 */
public final class RequestHosts {

	private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

	private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");

	private static final int MAX_NAME_LENGTH = 253;

	private static final int MAX_PORT = 65535;

	private RequestHosts() {
	}

	public static Optional<String> parse(@Nullable String header) {
		if (header == null) {
			return Optional.empty();
		}
		String host = header.strip().toLowerCase(Locale.ROOT);
		int colon = host.indexOf(':');
		if (colon >= 0) {
			if (!isPort(host.substring(colon + 1))) {
				return Optional.empty();
			}
			host = host.substring(0, colon);
		}
		if (host.endsWith(".")) {
			host = host.substring(0, host.length() - 1);
		}
		if (host.isEmpty() || host.length() > MAX_NAME_LENGTH) {
			return Optional.empty();
		}
		for (String label : host.split("\\.", -1)) {
			if (!DNS_LABEL.matcher(label).matches()) {
				return Optional.empty();
			}
		}
		return Optional.of(host);
	}

	/** Whether a {@code Host} header's port is one a TCP connection can have. */
	static boolean isPort(String port) {
		if (!PORT.matcher(port).matches()) {
			return false;
		}
		int value = Integer.parseInt(port);
		return value >= 1 && value <= MAX_PORT;
	}

}
