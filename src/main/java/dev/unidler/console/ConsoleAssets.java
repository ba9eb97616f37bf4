package dev.unidler.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

import org.springframework.core.io.ClassPathResource;
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
		this.style = read("console/console.css");
		this.script = read("console/console.js");
		this.contentSecurityPolicy = "default-src 'none'; style-src '" + sha256(this.style) + "'; script-src '"
				+ sha256(this.script) + "'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; "
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

	private static String read(String path) {
		try (InputStream in = new ClassPathResource(path).getInputStream()) {
			String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
			if (text.contains("</")) {
				// Inlined as is: a closing tag would end the element early.
				throw new IllegalStateException(path + " must not contain '</'");
			}
			return text;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read " + path + " from the classpath", ex);
		}
	}

	private static String sha256(String text) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
			return "sha256-" + Base64.getEncoder().encodeToString(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is part of every JDK", ex);
		}
	}

}
