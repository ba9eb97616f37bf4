package dev.unidler.admin;

import java.time.Duration;
import java.util.Optional;

import dev.unidler.operation.FailureReason;
import dev.unidler.operation.Operation;
import dev.unidler.operation.OperationEvent;
import dev.unidler.operation.OperationFailure;
import dev.unidler.web.EventStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * How the wake and idle endpoints answer once they have their operation, or a refusal:
 * the operation's events to a caller that streams them, else its outcome as the status
 * code when it ends within the wait, else {@code 202} (or {@code 504} for a caller that
 * asked to wait). A failure the caller cannot act on is a generic {@code 500}, its cause
 * logged here.
 */
final class OperationAnswers {

	private static final Logger logger = LoggerFactory.getLogger(OperationAnswers.class);

	/** How long a plain request, without {@code ?wait=}, waits for the end. */
	static final Duration PLAIN_WAIT = Duration.ofSeconds(30);

	private final EventStreams streams;

	private final Duration deadline;

	private final String verb;

	private final String doing;

	private final String serverError;

	/**
	 * @param streams the event streams of operations
	 * @param deadline the operation's own deadline: no caller waits longer
	 * @param verb the operation as a verb: {@code wake}, {@code idle}
	 * @param doing what the app is while it runs: {@code waking}, {@code idling}
	 * @param serverError what a caller is told of a failure it cannot act on
	 */
	OperationAnswers(EventStreams streams, Duration deadline, String verb, String doing, String serverError) {
		this.streams = streams;
		this.deadline = deadline;
		this.verb = verb;
		this.doing = doing;
		this.serverError = serverError;
	}

	Mono<ServerResponse> respond(ServerRequest request, Operation operation, Optional<Duration> wait) {
		if (request.headers().accept().contains(MediaType.TEXT_EVENT_STREAM)) {
			return this.streams.respond(operation, request.headers().firstHeader(EventStreams.LAST_EVENT_ID));
		}
		Duration limit = wait.map((asked) -> (asked.compareTo(this.deadline) > 0) ? this.deadline : asked)
			.orElse(PLAIN_WAIT);
		HttpStatus unfinished = wait.isPresent() ? HttpStatus.GATEWAY_TIMEOUT : HttpStatus.ACCEPTED;
		return operation.events()
			.filter(OperationEvent::isTerminal)
			.next()
			.timeout(limit, Mono.empty())
			.map((end) -> outcome(operation, end))
			.defaultIfEmpty(RestartHandler.answer(unfinished,
					new Answer("Still " + this.doing + " after " + DurationStyle.SIMPLE.print(limit) + "; the "
							+ this.verb + " goes on.", null, this.doing, null, operation.id())))
			.flatMap((answer) -> answer);
	}

	private Mono<ServerResponse> outcome(Operation operation, OperationEvent end) {
		if (end.kind() == OperationEvent.Kind.READY) {
			return RestartHandler.answer(HttpStatus.OK, new Answer(end.message(), null, "done", null, operation.id()));
		}
		FailureReason reason = end.failure();
		HttpStatus status = RestartFailures.status(reason);
		String error = (status == HttpStatus.INTERNAL_SERVER_ERROR) ? this.serverError : end.message();
		return RestartHandler.answer(status,
				new Answer(null, error, "failed", RestartFailures.name(reason), operation.id()));
	}

	/** A refusal or a failure before the operation began. */
	Mono<ServerResponse> refused(Throwable error) {
		if (error instanceof Refused refused) {
			return RestartHandler.answer(refused.status(), Answer.error(refused.getMessage()));
		}
		OperationFailure failure = (OperationFailure) error;
		HttpStatus status = RestartFailures.status(failure.reason());
		if (status == HttpStatus.INTERNAL_SERVER_ERROR) {
			logger.warn("Could not {}: {}", this.verb, failure.getMessage(), failure.getCause());
			return RestartHandler.answer(status, Answer.error(this.serverError));
		}
		String message = (failure.reason() == FailureReason.UNKNOWN_APP) ? RestartFailures.NOT_FOUND
				: failure.getMessage();
		return RestartHandler.answer(status, Answer.error(message));
	}

}
