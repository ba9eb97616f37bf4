package dev.unidler.web;

import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RequestPredicate;
import org.springframework.web.reactive.function.server.ServerRequest;

/**
 * Whether a client names a media type in its {@code Accept} header. Wildcards do not
 * count: a browser's {@code *}{@code /*} must not turn a page request into an event
 * stream, and an API client's must not get a page.
 */
final class Accepts {

	private Accepts() {
	}

	static boolean names(ServerRequest request, MediaType mediaType) {
		return request.headers()
			.accept()
			.stream()
			.anyMatch((accepted) -> mediaType.getType().equals(accepted.getType())
					&& mediaType.getSubtype().equals(accepted.getSubtype()));
	}

	static RequestPredicate naming(MediaType mediaType) {
		return (request) -> names(request, mediaType);
	}

}
