package dev.unidler.demo;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * Forwards a request to the unidler as it came (method, path, query, headers including
 * {@code Host}, body) and streams the answer back as it arrives, so that a Server-Sent
 * Events stream stays live through the proxy.
 */
final class ReverseProxy {

	/** Headers that describe one connection, not the message (RFC 9110, 7.6.1). */
	private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
			"proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade");

	private final HttpClient client;

	private final String base;

	/** Answers being streamed to clients now, so that a test can cut them. */
	private final Set<Connection> open = ConcurrentHashMap.newKeySet();

	ReverseProxy(URI unidler) {
		String base = unidler.toString();
		this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
		// No compression and no redirects: the answer goes back exactly as it was given.
		this.client = HttpClient.create().followRedirect(false).compress(false);
	}

	Mono<Void> forward(HttpServerRequest request, HttpServerResponse response) {
		HttpHeaders headers = new DefaultHttpHeaders();
		copy(request.requestHeaders(), headers);
		InetSocketAddress remote = request.remoteAddress();
		if (remote != null) {
			headers.add("X-Forwarded-For", remote.getAddress().getHostAddress());
		}
		headers.set("X-Forwarded-Proto", request.scheme());
		HttpClient.RequestSender sender = this.client.headers((h) -> h.set(headers))
			.request(request.method())
			.uri(this.base + request.uri());
		HttpClient.ResponseReceiver<?> receiver = hasBody(request)
				? sender.send((clientRequest, outbound) -> outbound.send(request.receive().retain())) : sender;
		response.withConnection((connection) -> {
			this.open.add(connection);
			connection.onDispose(() -> this.open.remove(connection));
		});
		return receiver.response((upstream, body) -> {
			response.status(upstream.status());
			copy(upstream.responseHeaders(), response.responseHeaders());
			return response.send(body.retain());
		}).then().onErrorResume((ex) -> response.hasSentHeaders() ? Mono.error(ex) : badGateway(response, ex));
	}

	/** Drops every answer being streamed, as a proxy restart or a network blip would. */
	void cutOpenAnswers() {
		this.open.forEach(Connection::dispose);
	}

	private static boolean hasBody(HttpServerRequest request) {
		HttpHeaders headers = request.requestHeaders();
		String length = headers.get(HttpHeaderNames.CONTENT_LENGTH);
		return headers.contains(HttpHeaderNames.TRANSFER_ENCODING) || (length != null && !"0".equals(length.strip()));
	}

	private static void copy(HttpHeaders from, HttpHeaders to) {
		Set<String> named = connectionHeaders(from);
		for (Map.Entry<String, String> header : from) {
			String name = header.getKey().toLowerCase(Locale.ROOT);
			if (!HOP_BY_HOP.contains(name) && !named.contains(name)) {
				to.add(header.getKey(), header.getValue());
			}
		}
	}

	/** Headers a {@code Connection} header names are hop-by-hop too. */
	private static Set<String> connectionHeaders(HttpHeaders headers) {
		String connection = headers.get(HttpHeaderNames.CONNECTION);
		if (connection == null) {
			return Set.of();
		}
		return Set.of(connection.toLowerCase(Locale.ROOT).split("\\s*,\\s*"));
	}

	private static Mono<Void> badGateway(HttpServerResponse response, Throwable ex) {
		return response.status(HttpResponseStatus.BAD_GATEWAY)
			.header(HttpHeaderNames.CONTENT_TYPE, "text/html; charset=utf-8")
			.sendString(Mono.just(StandInPages.badGateway("The unidler did not answer: " + ex.getMessage())))
			.then();
	}

}
