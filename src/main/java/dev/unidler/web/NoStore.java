package dev.unidler.web;

import org.springframework.http.HttpHeaders;

/**
 * Keeps proxies and browsers from storing a waiting page or stream, which would outlive
 * the idled state of the app.
 */
final class NoStore {

	private NoStore() {
	}

	static void apply(HttpHeaders headers) {
		headers.setCacheControl("no-store");
	}

}
