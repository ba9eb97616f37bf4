package dev.unidler.web;

import org.springframework.stereotype.Component;

/**
 * The waiting page's stylesheet and script, inlined into the page itself.
 *
 * <p>
 * The page's own {@code GET} starts the wake, and a fast app is awake, its Service
 * repointed, before the browser asks for anything else: from then on every request for
 * the host reaches the app, which would answer {@code /unidler.css} with its own page. So
 * everything the page needs travels in its first response. The Content Security Policy
 * admits exactly these two inline blocks by their hashes, and nothing else.
 *
 * <p>
 * Read once at start-up: reading the classpath is file I/O, which must not happen on an
 * event loop.
 */
@Component
final class PageAssets {

	static final String STYLESHEET = "page/waiting.css";

	static final String SCRIPT = "page/waiting.js";

	private final String style;

	private final String script;

	private final String contentSecurityPolicy;

	PageAssets() {
		this.style = InlineAssets.read(STYLESHEET);
		this.script = InlineAssets.read(SCRIPT);
		this.contentSecurityPolicy = "default-src 'none'; style-src '" + InlineAssets.hash(this.style)
				+ "'; script-src '" + InlineAssets.hash(this.script)
				+ "'; connect-src 'self'; img-src 'self' data: https:; base-uri 'none'; "
				+ "form-action 'self'; frame-ancestors 'none'";
	}

	/** The stylesheet, for a {@code <style>} element. */
	String style() {
		return this.style;
	}

	/** The script, for a {@code <script>} element. */
	String script() {
		return this.script;
	}

	/**
	 * Admits the inline style and script by hash; the stream and the return probe
	 * ({@code connect-src}) go to the page's own origin, and a logo may come from
	 * anywhere over HTTPS.
	 */
	String contentSecurityPolicy() {
		return this.contentSecurityPolicy;
	}

}
