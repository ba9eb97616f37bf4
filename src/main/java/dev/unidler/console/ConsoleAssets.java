package dev.unidler.console;

import dev.unidler.web.InlineAssets;

import org.springframework.stereotype.Component;

/**
 * The console's stylesheet and script, inlined into its page as the waiting page's are:
 * one response, no CDN, and a Content Security Policy that admits exactly these two
 * blocks by their hashes. Read once at start-up, off any event loop.
 */
@Component
final class ConsoleAssets {

	private final String style;

	private final String script;

	private final String contentSecurityPolicy;

	ConsoleAssets() {
		this.style = InlineAssets.read("console/console.css");
		this.script = InlineAssets.read("console/console.js");
		this.contentSecurityPolicy = "default-src 'none'; style-src '" + InlineAssets.hash(this.style)
				+ "'; script-src '" + InlineAssets.hash(this.script)
				+ "'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; "
				+ "form-action 'self'; frame-ancestors 'none'";
	}

	String style() {
		return this.style;
	}

	String script() {
		return this.script;
	}

	String contentSecurityPolicy() {
		return this.contentSecurityPolicy;
	}

}
