package dev.unidler.slack;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import dev.unidler.access.Action;
import dev.unidler.access.Caller;
import dev.unidler.operation.Operation;
import dev.unidler.operation.OperationEvent;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * {@code POST /slack/commands} on the admin port: Slack's slash command
 * {@code /unidler wake|idle|restart|status <host or namespace/name> [reason]}.
 *
 * <p>
 * The raw body is read (up to a limit) and its signature verified before anything in it
 * is looked at; a request that is not Slack's, is too old or was seen before gets
 * {@code 401} and changes nothing. The answer comes within Slack's three seconds: the
 * operation is started or joined and the acknowledgement says where it stands. The
 * operation is then followed through its events, with check-ins and the outcome posted to
 * the command's {@code response_url} (see {@link CheckIns}).
 */
public final class SlackCommands implements DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(SlackCommands.class);

	/** How long the acknowledgement waits for the first step past the lookup. */
	private static final Duration FIRST_STATE = Duration.ofMillis(1500);

	/**
	 * Slack waits three seconds for the answer; what is not decided by then is said so.
	 */
	private static final Duration ANSWER_WITHIN = Duration.ofMillis(2500);

	private static final String USAGE = "Usage: `/unidler wake|idle|restart <host or namespace/name> [reason]`, "
			+ "or `/unidler status [host, namespace or namespace/name]`.";

	private final SlackProperties properties;

	private final @Nullable SlackSignatures signatures;

	private final SlackUsers users;

	private final SlackOperations operations;

	private final SlackMessages messages;

	private final ResponseUrls responseUrls;

	private final Disposable.Composite following = Disposables.composite();

	SlackCommands(SlackProperties properties, @Nullable SlackSignatures signatures, SlackUsers users,
			SlackOperations operations, SlackMessages messages, ResponseUrls responseUrls) {
		this.properties = properties;
		this.signatures = signatures;
		this.users = users;
		this.operations = operations;
		this.messages = messages;
		this.responseUrls = responseUrls;
	}

	/** Whether commands are on: a signing secret is configured. */
	public boolean isEnabled() {
		return this.signatures != null;
	}

	/** Answers a slash command. */
	public Mono<ServerResponse> handle(ServerRequest request) {
		SlackSignatures verifier = this.signatures;
		if (verifier == null) {
			return plain(HttpStatus.NOT_FOUND, "Slack commands are not configured.");
		}
		if (!MediaType.APPLICATION_FORM_URLENCODED
			.isCompatibleWith(request.headers().contentType().orElse(MediaType.APPLICATION_OCTET_STREAM))) {
			return plain(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Expected a form, as Slack sends.");
		}
		int limit = (int) this.properties.maxBody().toBytes();
		if (request.headers().contentLength().orElse(0) > limit) {
			return plain(HttpStatus.CONTENT_TOO_LARGE, "Too large for a slash command.");
		}
		return DataBufferUtils.join(request.body(BodyExtractors.toDataBuffers()), limit)
			.map(SlackCommands::bytes)
			.defaultIfEmpty(new byte[0])
			.flatMap((body) -> verified(request, verifier, body))
			.onErrorResume(DataBufferLimitException.class,
					(ex) -> plain(HttpStatus.CONTENT_TOO_LARGE, "Too large for a slash command."));
	}

	private Mono<ServerResponse> verified(ServerRequest request, SlackSignatures verifier, byte[] body) {
		SlackSignatures.Verdict verdict = verifier.verify(request.headers().firstHeader(SlackSignatures.TIMESTAMP),
				request.headers().firstHeader(SlackSignatures.SIGNATURE), body);
		if (verdict != SlackSignatures.Verdict.VALID) {
			logger.info("Refused a Slack command from {}: {}", client(request), verdict);
			return (verdict == SlackSignatures.Verdict.TOO_MANY)
					? plain(HttpStatus.TOO_MANY_REQUESTS, "Too many commands; try again in a few minutes.")
					: plain(HttpStatus.UNAUTHORIZED, "Invalid request signature.");
		}
		Optional<SlashCommand> parsed = SlashCommand.parse(body);
		if (parsed.isEmpty()) {
			return plain(HttpStatus.BAD_REQUEST, "Not a slash command.");
		}
		SlashCommand command = parsed.get();
		if (!command.responseUrl().startsWith(this.properties.responseUrlPrefix())) {
			// Signed by Slack, so never expected: posting there could reach anything.
			logger.warn("Refused a Slack command whose response_url is not under {}",
					this.properties.responseUrlPrefix());
			return plain(HttpStatus.BAD_REQUEST, "Unexpected response_url.");
		}
		Optional<Caller> caller = this.users.find(command.team(), command.user());
		if (caller.isEmpty()) {
			logger.info("Refused a Slack command of team {} user {}: not in the users file", command.team(),
					command.user());
			return reply(this.messages.toUser("Your Slack user (" + command.team() + " " + command.user()
					+ ") may not use the unidler; ask its operators to add you to its users file."));
		}
		return answer(command, caller.get()).timeout(ANSWER_WITHIN,
				Mono.defer(() -> reply(this.messages.toUser("The unidler is slow to answer; try again in a moment."))));
	}

	private Mono<ServerResponse> answer(SlashCommand command, Caller caller) {
		SlashCommand.Words words = command.words();
		Optional<Action> action = switch (words.verb()) {
			case "wake" -> Optional.of(Action.WAKE);
			case "idle" -> Optional.of(Action.IDLE);
			case "restart" -> Optional.of(Action.RESTART);
			default -> Optional.empty();
		};
		if (words.verb().equals("status")) {
			return this.operations.status(words.target(), caller).flatMap((apps) -> reply(status(apps)));
		}
		if (action.isEmpty() || words.target() == null) {
			return reply(this.messages.toUser(USAGE));
		}
		String target = words.target();
		return this.operations.start(action.get(), target, words.reason(), caller)
			.flatMap((operation) -> firstState(operation).map((state) -> {
				logger.info("Slack user {} asked to {} {}: operation {}", caller.name(),
						SlackMessages.name(action.get()), SlackMessages.escape(target), operation.id());
				return acknowledge(command, action.get(), target, words.reason(), operation, state.orElse(null));
			}))
			.flatMap(this::reply)
			.onErrorResume(SlackOperations.Refusal.class,
					(refusal) -> reply(this.messages.toUser(refusal.getMessage())))
			.onErrorResume((error) -> !(error instanceof SlackOperations.Refusal), (error) -> {
				logger.warn("Could not answer a Slack command to {} {}", words.verb(), SlackMessages.escape(target),
						error);
				return reply(this.messages.toUser("Something went wrong; the unidler's log says what."));
			});
	}

	/**
	 * The first step past the lookup, or where the operation stands when it is slow to
	 * get there.
	 */
	private static Mono<Optional<OperationEvent>> firstState(Operation operation) {
		return operation.located()
			.map(Optional::of)
			.timeout(FIRST_STATE, Mono.fromSupplier(() -> Optional.ofNullable(operation.latest())))
			.defaultIfEmpty(Optional.empty());
	}

	private JsonNode acknowledge(SlashCommand command, Action action, String target, @Nullable String reason,
			Operation operation, @Nullable OperationEvent state) {
		if (state != null && state.isTerminal()) {
			// Nothing left to follow: the answer is the outcome.
			return this.messages
				.toChannel(SlackMessages.acknowledged(command.user(), action, target, reason, operation.id(), null)
						+ "\n" + SlackMessages.outcome(action, target, operation.id(), state));
		}
		follow(command.responseUrl(), action, target, operation, (state != null) ? state.sequence() : 0);
		return this.messages
			.toChannel(SlackMessages.acknowledged(command.user(), action, target, reason, operation.id(), state));
	}

	/**
	 * Follows the operation to its end, posting to the command's {@code response_url}.
	 * Detached from the request, which has been answered; ends with the operation, or
	 * when this instance stops.
	 */
	private void follow(String url, Action action, String target, Operation operation, long acknowledged) {
		PostBudget budget = new PostBudget(Math.max(1, this.properties.maxPosts()));
		Disposable[] self = new Disposable[1];
		self[0] = CheckIns
			.plan(operation.eventsAfter(acknowledged), this.properties.checkInInterval(),
					Math.max(1, this.properties.maxPosts()), this.properties.follow())
			.concatMap((post) -> this.responseUrls
				.post(url, render(post, action, target, operation), budget, post.isLast() ? 0 : 1)
				.onErrorResume((error) -> {
					logger.info("Could not post a {} about operation {} to Slack: {}", post.kind(), operation.id(),
							error.toString());
					return Mono.empty();
				}))
			.doFinally((signal) -> {
				if (self[0] != null) {
					this.following.remove(self[0]);
				}
			})
			.subscribe();
		if (!self[0].isDisposed()) {
			this.following.add(self[0]);
		}
	}

	private JsonNode render(CheckIns.Post post, Action action, String target, Operation operation) {
		OperationEvent event = post.event();
		return switch (post.kind()) {
			case CHECK_IN -> this.messages.toUser(SlackMessages.checkIn(action, target, event));
			case OUTCOME -> this.messages.toChannel(SlackMessages.outcome(action, target, operation.id(), event));
			case STOPPED -> this.messages.toChannel(SlackMessages.stopped(action, target, operation.id()));
			case STILL_RUNNING -> this.messages.toChannel(SlackMessages.stillRunning(action, target, operation.id()));
		};
	}

	private JsonNode status(List<SlackOperations.AppLine> apps) {
		if (apps.isEmpty()) {
			return this.messages.toUser("No apps you may see match.");
		}
		StringBuilder text = new StringBuilder();
		apps.stream().limit(SlackOperations.STATUS_LIMIT).forEach((app) -> {
			text.append("• ").append(SlackMessages.code(app.app()));
			if (app.host() != null) {
				text.append(' ').append(SlackMessages.escape(app.host()));
			}
			text.append(": ")
				.append(app.state())
				.append(", ")
				.append(app.available())
				.append(" of ")
				.append(app.desired())
				.append(" ready; you may ")
				.append(String.join(", ", app.actions()))
				.append('\n');
		});
		if (apps.size() > SlackOperations.STATUS_LIMIT) {
			text.append("… and ")
				.append(apps.size() - SlackOperations.STATUS_LIMIT)
				.append(" more: name a namespace to see them.");
		}
		return this.messages.toUser(text.toString().strip());
	}

	private Mono<ServerResponse> reply(JsonNode message) {
		return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(message);
	}

	private static Mono<ServerResponse> plain(HttpStatus status, String text) {
		return ServerResponse.status(status).contentType(MediaType.TEXT_PLAIN).bodyValue(text);
	}

	private static byte[] bytes(DataBuffer buffer) {
		try {
			byte[] bytes = new byte[buffer.readableByteCount()];
			buffer.read(bytes);
			return bytes;
		}
		finally {
			DataBufferUtils.release(buffer);
		}
	}

	private static String client(ServerRequest request) {
		return request.remoteAddress()
			.map(InetSocketAddress::getAddress)
			.map((address) -> address.getHostAddress())
			.orElse("unknown");
	}

	/**
	 * Stops following: the operations go on, and the same command again picks them up.
	 */
	@Override
	public void destroy() {
		this.following.dispose();
	}

}
