package dev.unidler.access;

import reactor.core.publisher.Mono;

import org.springframework.security.core.context.ReactiveSecurityContextHolder;

/**
 * The caller of the request being handled, as Spring Security authenticated it.
 */
public final class Callers {

	private Callers() {
	}

	/** The authenticated caller; empty without a valid token. */
	public static Mono<Caller> current() {
		return ReactiveSecurityContextHolder.getContext()
			.mapNotNull((context) -> context.getAuthentication())
			.mapNotNull((authentication) -> authentication.getPrincipal())
			.ofType(Caller.class);
	}

}
