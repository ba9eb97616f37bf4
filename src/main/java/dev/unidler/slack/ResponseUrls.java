package dev.unidler.slack;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

import io.netty.channel.ChannelOption;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.util.retry.Retry;
import tools.jackson.databind.JsonNode;

import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.web.reactive.function.client.WebClientResponseException;

/**
 * Posts messages to a command's {@code response_url}: with a time limit on every try (the
 * connection included), and a bounded number of tries again after no answer, a
 * {@code 429} or a {@code 5xx}. Each try is paid for first, so a post never goes beyond
 * the command's budget.
 */
class ResponseUrls {

	private static final Duration FIRST_BACKOFF = Duration.ofMillis(500);

	private final WebClient client;

	private final Duration timeout;

	private final int retries;

	ResponseUrls(SlackProperties properties) {
		this.timeout = properties.timeout();
		this.retries = Math.max(0, properties.retries());
		HttpClient http = HttpClient.create()
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) this.timeout.toMillis())
			.responseTimeout(this.timeout);
		this.client = WebClient.builder().clientConnector(new ReactorClientHttpConnector(http)).build();
	}

	/**
	 * Posts one message.
	 * @param url the command's {@code response_url}, already checked
	 * @param message the message
	 * @param budget the command's posts left; each try takes one
	 * @param reserve posts to leave for later messages
	 * @return completes once Slack took it; fails after the last try, or at once when the
	 * budget is spent
	 */
	Mono<Void> post(String url, JsonNode message, PostBudget budget, int reserve) {
		return Mono.defer(() -> budget.take(reserve) ? send(url, message) : Mono.error(new PostBudget.Spent()))
			.retryWhen(Retry.backoff(this.retries, FIRST_BACKOFF).filter(ResponseUrls::worthRetrying));
	}

	private Mono<Void> send(String url, JsonNode message) {
		return this.client.post()
			.uri(URI.create(url))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(message)
			.retrieve()
			.toBodilessEntity()
			.timeout(this.timeout)
			.then();
	}

	private static boolean worthRetrying(Throwable error) {
		if (error instanceof WebClientResponseException response) {
			return response.getStatusCode().is5xxServerError() || response.getStatusCode().value() == 429;
		}
		return error instanceof WebClientRequestException || error instanceof TimeoutException;
	}

}
