package dev.unidler.web;

import java.util.List;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RequestPredicate;
import org.springframework.web.reactive.function.server.ServerRequest;

/**
 * Whether a client names a media type in its {@code Accept} header. Wildcards do not
 * count: a browser's {@code *}{@code /*} must not turn a page request into an event
 * stream, and an API client's must not get a page. A type with {@code q=0} is one the
 * client refuses (RFC 9110, 12.4.2), so it does not count either.
 *
 * <p>
 * The header is read here rather than with {@code request.headers().accept()}, which
 * throws on a malformed value ({@code ;;;}, {@code text/html;q=abc}, {@code text/}) and
 * turned such a request into a {@code 500}. A malformed header is treated as absent.
 */
final class Accepts {

	private Accepts() {
	}

	static boolean names(ServerRequest request, MediaType mediaType) {
		return parse(request).stream()
			.anyMatch((accepted) -> mediaType.getType().equals(accepted.getType())
					&& mediaType.getSubtype().equals(accepted.getSubtype()) && accepted.getQualityValue() > 0);
	}

	static RequestPredicate naming(MediaType mediaType) {
		return (request) -> names(request, mediaType);
	}

	/** Whether the request carries an {@code Accept} header that cannot be parsed. */
	static boolean malformed(ServerRequest request) {
		List<String> values = request.headers().header(HttpHeaders.ACCEPT);
		if (values.isEmpty()) {
			return false;
		}
		try {
			MediaType.parseMediaTypes(values);
			return false;
		}
		catch (IllegalArgumentException ex) {
			return true;
		}
	}

	private static List<MediaType> parse(ServerRequest request) {
		try {
			return MediaType.parseMediaTypes(request.headers().header(HttpHeaders.ACCEPT));
		}
		catch (IllegalArgumentException ex) {
			// InvalidMediaTypeException, or a q that is not a number between 0 and 1.
			return List.of();
		}
	}

}
