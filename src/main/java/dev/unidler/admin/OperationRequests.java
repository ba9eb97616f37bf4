package dev.unidler.admin;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import dev.unidler.access.Action;
import dev.unidler.access.AppRef;
import dev.unidler.access.Caller;
import dev.unidler.access.OptIn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;

/**
 * What every operation's endpoint decides the same way: how long the caller waits, and
 * whether the caller may do the operation to the app. A caller learns nothing of apps it
 * may not change: an app that has not opted in, or that the caller's token does not
 * cover, is "not found", exactly like an app that does not exist; an opted-in app asked
 * for without a valid token says a token is needed.
 */
@Component
final class OperationRequests {

	private static final Logger logger = LoggerFactory.getLogger(OperationRequests.class);

	private final OptIn optIn;

	OperationRequests(OptIn optIn) {
		this.optIn = optIn;
	}

	/**
	 * {@code ?wait=}: empty when the caller does not wait for the outcome, or a
	 * {@link Refused} {@code 400} when it is not a duration.
	 */
	static Mono<Optional<Duration>> waitOf(ServerRequest request) {
		try {
			return Mono.just(request.queryParam("wait").map(DurationStyle::detectAndParse));
		}
		catch (IllegalArgumentException ex) {
			return Mono.error(new Refused(HttpStatus.BAD_REQUEST,
					"invalid request: 'wait' must be a duration such as 30s or 5m"));
		}
	}

	/**
	 * The token name of a caller who may do this to the app, or a {@link Refused}.
	 * @param action what the caller asks
	 * @param caller who asks, if the request carried a valid token
	 * @param app the app, as the caller's grants and the allowlist name it
	 * @param labels the workload's labels
	 * @param annotations the workload's annotations
	 */
	Mono<String> permitted(Action action, Optional<Caller> caller, AppRef app, Map<String, String> labels,
			Map<String, String> annotations) {
		if (!this.optIn.allows(action, app, labels, annotations)) {
			return Mono.error(Refused.notFound());
		}
		if (caller.isEmpty()) {
			return Mono.error(new Refused(HttpStatus.UNAUTHORIZED, "A bearer token is required."));
		}
		if (!caller.get().may(action, app)) {
			logger.info("Refused to {} {}/{}/{} to token {}", action.name().toLowerCase(Locale.ROOT), app.kind(),
					app.namespace(), app.name(), caller.get().name());
			return Mono.error(Refused.notFound());
		}
		return Mono.just(caller.get().name());
	}

}
