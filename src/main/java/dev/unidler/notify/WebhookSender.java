package dev.unidler.notify;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.TimeoutException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.netty.channel.ChannelOption;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;
import reactor.util.retry.Retry;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;

/**
 * Posts one delivery: signed afresh at every try (so its timestamp is the time it is
 * sent), with a time limit on connecting and on the answer, tried again with exponential
 * backoff and jitter only when the receiver might take it later (no answer, {@code 5xx},
 * {@code 408}, {@code 429}). Redirects are not followed: a {@code 3xx} is a failure, so a
 * receiver cannot send the signed body somewhere else.
 */
final class WebhookSender implements DisposableBean {

	static final String SIGNATURE = "Unidler-Signature";

	static final String DELIVERY = "Unidler-Delivery";

	static final String EVENT = "Unidler-Event";

	private static final String ALGORITHM = "HmacSHA256";

	private final WebClient client;

	private final Clock clock;

	private final Duration timeout;

	private final Retry retry;

	private final ConnectionProvider connections;

	private final LoopResources loops;

	WebhookSender(WebhookProperties properties, Clock clock) {
		this.clock = clock;
		this.timeout = properties.timeout();
		// Its own connections and event loop: the shared ones are disposed when the web
		// server stops, before the last deliveries of a shutdown, and a slow receiver
		// holds nothing the web server uses.
		this.connections = ConnectionProvider.create("unidler-webhooks", 50);
		this.loops = LoopResources.create("unidler-webhooks", 1, true);
		HttpClient http = HttpClient.create(this.connections)
			.runOn(this.loops)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) this.timeout.toMillis())
			.responseTimeout(this.timeout)
			.followRedirect(false);
		this.client = WebClient.builder().clientConnector(new ReactorClientHttpConnector(http)).build();
		this.retry = Retry.backoff(Math.max(0, properties.retries()), properties.firstBackoff())
			.maxBackoff(properties.maxBackoff())
			.jitter(0.5)
			.filter(WebhookSender::worthRetrying)
			.onRetryExhaustedThrow((spec, signal) -> signal.failure());
		// Loads the JCE provider now, not on an event loop at the first delivery.
		mac("warm-up-key-0123".getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * Posts it, with its retries.
	 * @param delivery what to post
	 * @return completes once the receiver answered {@code 2xx}; fails after the last try
	 * or at once on an answer that retrying cannot change
	 */
	Mono<Void> send(Delivery delivery) {
		return Mono.defer(() -> attempt(delivery)).retryWhen(this.retry);
	}

	private Mono<Void> attempt(Delivery delivery) {
		WebClient.RequestBodySpec request = this.client.post()
			.uri(delivery.target().url())
			.contentType(MediaType.APPLICATION_JSON)
			.header("User-Agent", "unidler-webhooks")
			.header(DELIVERY, delivery.id())
			.header(EVENT, delivery.type());
		byte[] secret = delivery.target().secret();
		if (secret != null) {
			request = request.header(SIGNATURE,
					signature(secret, this.clock.instant().getEpochSecond(), delivery.body()));
		}
		return request.bodyValue(delivery.body())
			.exchangeToMono((response) -> response.releaseBody().then(Mono.just(response.statusCode())))
			.timeout(this.timeout.multipliedBy(2))
			.flatMap((status) -> status.is2xxSuccessful() ? Mono.<Void>empty()
					: Mono.error(new Refused(delivery.target().name(), status)));
	}

	/** Closes its connections and stops its event loop, once the queues are closed. */
	@Override
	public void destroy() {
		this.connections.disposeLater()
			.then(this.loops.disposeLater(Duration.ZERO, Duration.ofSeconds(2)))
			.block(Duration.ofSeconds(5));
	}

	/**
	 * The signature header: {@code t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">}.
	 */
	static String signature(byte[] secret, long timestamp, byte[] body) {
		Mac mac = mac(secret);
		mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
		return "t=" + timestamp + ",v1=" + HexFormat.of().formatHex(mac.doFinal(body));
	}

	private static Mac mac(byte[] secret) {
		try {
			Mac mac = Mac.getInstance(ALGORITHM);
			mac.init(new SecretKeySpec(secret, ALGORITHM));
			return mac;
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("No " + ALGORITHM + " in this JVM", ex);
		}
	}

	static boolean worthRetrying(Throwable error) {
		if (error instanceof Refused refused) {
			int status = refused.status().value();
			return refused.status().is5xxServerError() || status == 408 || status == 429;
		}
		return error instanceof WebClientRequestException || error instanceof TimeoutException;
	}

	/** A receiver's answer other than {@code 2xx}. */
	static final class Refused extends RuntimeException {

		private final HttpStatusCode status;

		Refused(String target, HttpStatusCode status) {
			super(target + " answered " + status.value(), null, false, false);
			this.status = status;
		}

		HttpStatusCode status() {
			return this.status;
		}

	}

}
