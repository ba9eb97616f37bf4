package dev.unidler.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;

import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaderNames;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * The load generator: Reactor Netty clients of the unidler under test on loopback. Event
 * streams get a connection each ({@link HttpClient#newConnection()}); pages share a pool
 * as large as the concurrency asked for.
 */
final class HttpLoad implements AutoCloseable {

	/**
	 * How many streams may be connecting at once, so the accept queue never overflows.
	 */
	private static final int CONNECTING = 200;

	private final String baseUrl;

	private final HttpClient streams;

	private final List<ConnectionProvider> pools = new ArrayList<>();

	HttpLoad(int port) {
		this.baseUrl = "http://127.0.0.1:" + port;
		this.streams = pooledBuffers(HttpClient.newConnection()).baseUrl(this.baseUrl);
	}

	/**
	 * Netty's default allocator takes a lock when it grows under many connections, which
	 * BlockHound (installed in every test JVM) reports as a blocking call on an event
	 * loop; Netty's own BlockHound rules allow the pooled allocator's locks.
	 */
	private static HttpClient pooledBuffers(HttpClient client) {
		return client.option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT);
	}

	/**
	 * Opens a stream of {@code /events} for each host and waits until every one has
	 * received something (an event, a comment) or failed.
	 * @param hosts one host per stream
	 * @param timeout the longest it may take
	 * @return the streams, in the order of the hosts
	 */
	List<EventStream> openStreams(List<String> hosts, Duration timeout) {
		Queue<EventStream> opened = new ConcurrentLinkedQueue<>();
		Flux.fromIterable(hosts).flatMap((host) -> {
			EventStream stream = open(host);
			opened.add(stream);
			return stream.started().asMono();
		}, CONNECTING).then().block(timeout);
		return List.copyOf(opened);
	}

	private EventStream open(String host) {
		EventStream stream = new EventStream(host);
		stream.connection(this.streams
			.headers((headers) -> headers.set(HttpHeaderNames.HOST, host)
				.set(HttpHeaderNames.ACCEPT, "text/event-stream"))
			.get()
			.uri("/events")
			.response((response, body) -> (response.status().code() == 200) ? body.asString(StandardCharsets.UTF_8)
					: Flux.error(new IllegalStateException("HTTP " + response.status().code())))
			.subscribe(stream::feed, stream::fail, stream::end));
		return stream;
	}

	/** Closes every stream. */
	static void close(Collection<EventStream> streams) {
		streams.forEach(EventStream::close);
	}

	/**
	 * A client for pages with its own pool of connections.
	 * @param connections the pool's size
	 * @return a client; the pool is closed with this load generator
	 */
	HttpClient pages(int connections) {
		ConnectionProvider pool = ConnectionProvider.builder("pages-" + connections)
			.maxConnections(connections)
			.pendingAcquireMaxCount(-1)
			.build();
		this.pools.add(pool);
		return pooledBuffers(HttpClient.create(pool)).baseUrl(this.baseUrl);
	}

	/**
	 * {@code GET /} for a host as a browser asks for it, reading the whole page.
	 * @return the status
	 */
	static Mono<Integer> page(HttpClient client, String host) {
		return client
			.headers((headers) -> headers.set(HttpHeaderNames.HOST, host)
				.set(HttpHeaderNames.ACCEPT, "text/html,application/xhtml+xml"))
			.get()
			.uri("/")
			.responseSingle((response, body) -> body.asByteArray()
				.map((bytes) -> response.status().code())
				.switchIfEmpty(Mono.fromSupplier(() -> response.status().code())));
	}

	/**
	 * Sends one request per item with a bounded concurrency and collects the statuses (0
	 * for a request that failed).
	 */
	static <T> List<Integer> each(List<T> items, int concurrency, Function<T, Mono<Integer>> request,
			Duration timeout) {
		return Flux.fromIterable(items)
			.flatMapSequential((item) -> request.apply(item).onErrorReturn(0), concurrency)
			.collectList()
			.block(timeout);
	}

	@Override
	public void close() {
		this.pools.forEach(ConnectionProvider::dispose);
	}

}
