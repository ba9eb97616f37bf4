package dev.unidler.web;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import dev.unidler.UnidlerApplication;
import dev.unidler.admin.AdminServer;
import dev.unidler.cluster.TestCluster;
import io.kubernetes.client.openapi.ApiClient;
import okhttp3.Request;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The whole unidler, started on a random loopback port against the test cluster, with a
 * record of every write it sends to the API server.
 */
public final class UnidlerServer implements AutoCloseable {

	private final ConfigurableApplicationContext context;

	private final List<String> writes;

	private final List<String> requestThreads;

	private final List<String> requests;

	private UnidlerServer(ConfigurableApplicationContext context, List<String> writes, List<String> requestThreads,
			List<String> requests) {
		this.context = context;
		this.writes = writes;
		this.requestThreads = requestThreads;
		this.requests = requests;
	}

	public static UnidlerServer start(TestCluster cluster, Map<String, String> properties) {
		return start(cluster, properties, (context) -> {
		});
	}

	/**
	 * Starts the unidler with beans of the test's own besides, as an operator's
	 * configuration would add them.
	 * @param beans registers them
	 */
	public static UnidlerServer start(TestCluster cluster, Map<String, String> properties,
			Consumer<GenericApplicationContext> beans) {
		List<String> writes = new CopyOnWriteArrayList<>();
		List<String> requestThreads = new CopyOnWriteArrayList<>();
		List<String> requests = new CopyOnWriteArrayList<>();
		ApiClient client = recordingClient(cluster, writes, requestThreads, requests);
		Map<String, String> all = new HashMap<>();
		all.put("server.address", "127.0.0.1");
		all.put("server.port", "0");
		all.put("unidler.wake.recheck", "1s");
		all.put("unidler.wake.deadline", "90s");
		// Tests end instances with wakes still running; do not wait for them.
		all.put("spring.lifecycle.timeout-per-shutdown-phase", "1s");
		all.put("unidler.shutdown.drain", "0s");
		// Schedules idle apps cluster-wide: only the tests of schedules run them.
		all.put("unidler.idle.schedules", "false");
		all.putAll(properties);
		// As command-line arguments they win over application.yaml, as an operator's
		// would.
		String[] args = all.entrySet()
			.stream()
			.map((entry) -> "--" + entry.getKey() + "=" + entry.getValue())
			.toArray(String[]::new);
		ConfigurableApplicationContext context = new SpringApplicationBuilder(UnidlerApplication.class)
			.initializers((ctx) -> {
				((GenericApplicationContext) ctx).registerBean(ApiClient.class, () -> client);
				beans.accept((GenericApplicationContext) ctx);
			})
			.run(args);
		return new UnidlerServer(context, writes, requestThreads, requests);
	}

	/**
	 * A client that records every write, and the thread every request is sent from:
	 * OkHttp runs interceptors on the calling thread, so a call made on a Netty event
	 * loop shows.
	 */
	private static ApiClient recordingClient(TestCluster cluster, List<String> writes, List<String> requestThreads,
			List<String> requests) {
		try {
			ApiClient client = TestCluster.client(cluster.kubeconfig(), Duration.ofSeconds(45));
			client.setHttpClient(client.getHttpClient().newBuilder().addInterceptor((chain) -> {
				Request request = chain.request();
				Thread thread = Thread.currentThread();
				requestThreads.add(thread.getName() + (Schedulers.isInNonBlockingThread() ? " (non-blocking)" : ""));
				requests.add(request.method() + " " + request.url());
				if (!"GET".equals(request.method())) {
					writes.add(request.method() + " " + request.url().encodedPath());
				}
				return chain.proceed(request);
			}).build());
			return client;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** A bean of the running instance, to drive an operation as its handlers do. */
	public <T> T bean(Class<T> type) {
		return this.context.getBean(type);
	}

	public int port() {
		return ((WebServerApplicationContext) this.context).getWebServer().getPort();
	}

	/** The port of the admin surface. */
	public int adminPort() {
		return this.context.getBean(AdminServer.class).port();
	}

	/** A client of the admin surface. */
	public WebTestClient admin() {
		return WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + adminPort())
			.responseTimeout(Duration.ofSeconds(120))
			.build();
	}

	/** Every Kubernetes request so far: method and URL. */
	List<String> requests() {
		return List.copyOf(this.requests);
	}

	/** The names of the threads every Kubernetes request so far was sent from. */
	List<String> requestThreads() {
		return List.copyOf(this.requestThreads);
	}

	/**
	 * Every request sent to the API server whose URL (decoded) contains a text, such as
	 * the host a lookup's label selector names, as {@code METHOD url}.
	 */
	List<String> requestsMentioning(String text) {
		return this.requests.stream()
			.filter((request) -> URLDecoder.decode(request, StandardCharsets.UTF_8).contains(text))
			.toList();
	}

	/**
	 * Writes to objects in a namespace, as {@code METHOD /path}: changes of apps, not the
	 * Events that record them (see {@link #eventWritesIn}).
	 */
	public List<String> writesIn(String namespace) {
		return this.writes.stream()
			.filter((write) -> write.contains("/namespaces/" + namespace + "/") && !isEvent(write))
			.toList();
	}

	/** Writes of Events in a namespace, as {@code METHOD /path}. */
	public List<String> eventWritesIn(String namespace) {
		return this.writes.stream()
			.filter((write) -> write.contains("/namespaces/" + namespace + "/") && isEvent(write))
			.toList();
	}

	private static boolean isEvent(String write) {
		return write.contains("/apis/events.k8s.io/");
	}

	public WebTestClient http() {
		return WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + port())
			.responseTimeout(Duration.ofSeconds(120))
			.build();
	}

	/** Follows {@code /events} for a host until the stream ends. */
	public List<ServerSentEvent<Map<String, Object>>> events(String host) {
		return eventStream(host, null).collectList().block(Duration.ofSeconds(120));
	}

	/** The named events of {@code /events} for a host, as an EventSource would send. */
	Flux<ServerSentEvent<Map<String, Object>>> eventStream(String host, String lastEventId) {
		return Flux.defer(() -> http().get().uri("/events").header(HttpHeaders.HOST, host).headers((headers) -> {
			if (lastEventId != null) {
				headers.set("Last-Event-ID", lastEventId);
			}
		})
			.accept(MediaType.TEXT_EVENT_STREAM)
			.exchange()
			.expectStatus()
			.isOk()
			.returnResult(new ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>>() {
			})
			.getResponseBody()
			.filter((event) -> event.event() != null));
	}

	static List<String> names(List<ServerSentEvent<Map<String, Object>>> events) {
		List<String> names = new ArrayList<>();
		events.forEach(
				(event) -> names.add(event.event() + " " + event.data().get("step") + " " + event.data().get("state")));
		return names;
	}

	@Override
	public void close() {
		this.context.close();
	}

}
