package dev.unidler.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

import org.springframework.core.io.ClassPathResource;

/**
 * Styles and scripts that pages carry inline, so that they need no other request and a
 * Content Security Policy can admit exactly them by hash: the waiting page's and the
 * console's.
 */
public final class InlineAssets {

	private InlineAssets() {
	}

	/**
	 * An asset from the classpath, as it will be inlined.
	 * @param path its classpath location
	 * @return its text
	 * @throws IllegalStateException if it contains {@code </}, which would end its
	 * element early
	 */
	public static String read(String path) {
		try (InputStream in = new ClassPathResource(path).getInputStream()) {
			String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
			if (text.contains("</")) {
				throw new IllegalStateException(path + " must not contain '</'");
			}
			return text;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read " + path + " from the classpath", ex);
		}
	}

	/**
	 * A Content Security Policy source that admits exactly this inline text.
	 * @return {@code sha256-<base64>}
	 */
	public static String hash(String text) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
			return "sha256-" + Base64.getEncoder().encodeToString(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is part of every JDK", ex);
		}
	}

}
