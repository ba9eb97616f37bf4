package dev.unidler.access;

import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * One entry of a token's {@code apps}: a namespace, a {@code namespace/name} (glob
 * {@code *}), or a host (glob {@code *}). Globs match any characters but never span more
 * than the field they are in.
 *
 * @param namespace the whole namespace
 * @param name a {@code namespace/name} pattern
 * @param host a host pattern
 */
record Grant(@Nullable String namespace, @Nullable Pattern name, @Nullable Pattern host) {

	boolean covers(AppRef app) {
		if (this.namespace != null) {
			return this.namespace.equals(app.namespace());
		}
		if (this.name != null) {
			return this.name.matcher(app.namespace() + "/" + app.name()).matches();
		}
		return this.host != null && app.host() != null && this.host.matcher(app.host()).matches();
	}

	/** A glob as a pattern: {@code *} is any run of characters, the rest is literal. */
	static Pattern glob(String glob) {
		StringBuilder regex = new StringBuilder();
		for (String part : glob.split("\\*", -1)) {
			if (!regex.isEmpty()) {
				regex.append(".*");
			}
			regex.append(Pattern.quote(part));
		}
		return Pattern.compile(regex.toString());
	}

}
