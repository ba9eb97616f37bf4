package dev.unidler.access;

import reactor.core.publisher.Mono;

/** TEMPORARY contract stand-in until the access layer lands. */
public final class Callers {

	private Callers() {
	}

	public static Mono<Caller> current() {
		return Mono.empty();
	}

}
