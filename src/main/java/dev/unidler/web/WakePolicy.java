package dev.unidler.web;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import dev.unidler.UnidlerProperties;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Which requests wake an app. Crawlers, uptime checkers, chat link previews, prefetching
 * browsers, {@code HEAD} and {@code OPTIONS} requests arrive on their own schedule, not
 * because someone wants the app: if they woke it, an idled app would never stay idle.
 * They get an answer at once, without a lookup or a wake:
 * <ul>
 * <li>{@code /robots.txt}: {@code 200}, {@code Disallow: /} (while the app sleeps there
 * is nothing to crawl); any other listed path ({@code /favicon.ico} …): {@code 404};</li>
 * <li>anything else: {@code 503} with {@code Retry-After}, as any non-browser gets while
 * the app starts, so a crawler keeps its index and comes back later.</li>
 * </ul>
 * A request whose {@code Accept} cannot be parsed gets the same {@code 503}: no browser
 * or HTTP library sends one.
 */
@Component
final class WakePolicy {

	/** Request headers with which browsers mark prefetch and prerender requests. */
	private static final List<String> PURPOSE_HEADERS = List.of("Sec-Purpose", "Purpose", "X-Moz", "X-Purpose");

	private static final String ROBOTS = "/robots.txt";

	private final Set<String> methods;

	private final Set<String> paths;

	private final List<String> userAgents;

	private final boolean prefetch;

	WakePolicy(UnidlerProperties properties) {
		UnidlerProperties.WakePolicy policy = properties.wakePolicy();
		this.methods = policy.methods()
			.stream()
			.map((method) -> method.strip().toUpperCase(Locale.ROOT))
			.collect(Collectors.toUnmodifiableSet());
		this.paths = Set.copyOf(policy.paths());
		this.userAgents = policy.userAgents()
			.stream()
			.map((agent) -> agent.strip().toLowerCase(Locale.ROOT))
			.filter((agent) -> !agent.isEmpty())
			.toList();
		this.prefetch = policy.prefetch();
	}

	/** What a request for an app gets: a wake, or an answer without one. */
	Decision decide(ServerRequest request) {
		String path = request.path();
		if (this.paths.contains(path)) {
			return ROBOTS.equals(path) ? Decision.ROBOTS : Decision.NOT_FOUND;
		}
		if (this.methods.contains(request.method().name()) || isPrefetch(request) || isListedAgent(request)
				|| Accepts.malformed(request)) {
			return Decision.LATER;
		}
		return Decision.WAKE;
	}

	private boolean isPrefetch(ServerRequest request) {
		if (!this.prefetch) {
			return false;
		}
		HttpHeaders headers = request.headers().asHttpHeaders();
		for (String name : PURPOSE_HEADERS) {
			for (String value : headers.getValuesAsList(name)) {
				String purpose = value.toLowerCase(Locale.ROOT);
				if (purpose.contains("prefetch") || purpose.contains("prerender") || purpose.contains("preview")) {
					return true;
				}
			}
		}
		return false;
	}

	private boolean isListedAgent(ServerRequest request) {
		for (String value : request.headers().header(HttpHeaders.USER_AGENT)) {
			String agent = value.toLowerCase(Locale.ROOT);
			for (String listed : this.userAgents) {
				if (agent.contains(listed)) {
					return true;
				}
			}
		}
		return false;
	}

	/** The answer to a request that does not wake its app. */
	static Mono<ServerResponse> answer(Decision decision, String host) {
		return switch (decision) {
			case ROBOTS -> ServerResponse.ok()
				.contentType(MediaType.TEXT_PLAIN)
				.headers(NoStore::apply)
				.bodyValue("User-agent: *\nDisallow: /\n");
			case NOT_FOUND -> ServerResponse.status(HttpStatus.NOT_FOUND).headers(NoStore::apply).build();
			case LATER -> ServerResponse.status(HttpStatus.SERVICE_UNAVAILABLE)
				.contentType(MediaType.TEXT_PLAIN)
				.headers(NoStore::apply)
				.header(HttpHeaders.RETRY_AFTER, WaitingPageHandler.RETRY_AFTER_SECONDS)
				.bodyValue(host + " is idle. Open it in a browser to wake it.\n");
			case WAKE -> throw new IllegalArgumentException("A request that wakes its app is not answered here");
		};
	}

	/** What a request gets. */
	enum Decision {

		/** It wakes the app. */
		WAKE,

		/** {@code /robots.txt}: crawl nothing. */
		ROBOTS,

		/** A listed path other than {@code /robots.txt}: nothing here. */
		NOT_FOUND,

		/** {@code 503} with {@code Retry-After}, and no wake. */
		LATER

	}

}
