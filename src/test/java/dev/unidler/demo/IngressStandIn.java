package dev.unidler.demo;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * Stands in for an ingress controller in demos and browser tests, on loopback. For each
 * request it finds the Service whose {@code host} label is the request's host and
 * <ul>
 * <li>if there is none, answers {@code 404};</li>
 * <li>if it is an {@code ExternalName} Service (idled: it points at the unidler), proxies
 * the request to the unidler, streaming the answer;</li>
 * <li>otherwise answers as the woken app would, with a page naming the host, path and
 * query it was asked for.</li>
 * </ul>
 * The Service is looked up afresh for every request, so the switch from unidler to app
 * happens the moment the Service is repointed.
 *
 * <pre>
 * java -cp &lt;test classpath&gt; dev.unidler.demo.IngressStandIn --port=8080 \
 *     --unidler=http://127.0.0.1:8081 --kubeconfig=.cluster/kubeconfig [--label=host]
 * </pre>
 */
public final class IngressStandIn implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(IngressStandIn.class);

	private static final String LOOPBACK = "127.0.0.1";

	private static final String HTML = "text/html; charset=utf-8";

	private final DisposableServer server;

	private final ReverseProxy proxy;

	private final AtomicBoolean unidlerReachable;

	private IngressStandIn(DisposableServer server, ReverseProxy proxy, AtomicBoolean unidlerReachable) {
		this.server = server;
		this.proxy = proxy;
		this.unidlerReachable = unidlerReachable;
	}

	/**
	 * Starts a stand-in on loopback that looks Services up by the {@code host} label.
	 * @param port the port, or 0 for any free one
	 * @param unidler where the unidler listens
	 * @param client the Kubernetes client used for lookups
	 * @return the running stand-in
	 */
	public static IngressStandIn start(int port, URI unidler, ApiClient client) {
		return start(port, unidler, client, "host");
	}

	/**
	 * Starts a stand-in on loopback.
	 * @param port the port, or 0 for any free one
	 * @param unidler where the unidler listens
	 * @param client the Kubernetes client used for lookups
	 * @param label the lookup label Services carry, with the host as its value
	 * @return the running stand-in
	 */
	public static IngressStandIn start(int port, URI unidler, ApiClient client, String label) {
		ServiceRoutes routes = new ServiceRoutes(client, label);
		ReverseProxy proxy = new ReverseProxy(unidler);
		AtomicBoolean unidlerReachable = new AtomicBoolean(true);
		DisposableServer server = HttpServer.create()
			.host(LOOPBACK)
			.port(port)
			.handle((request, response) -> handle(request, response, routes, proxy, unidlerReachable))
			.bindNow(Duration.ofSeconds(10));
		return new IngressStandIn(server, proxy, unidlerReachable);
	}

	private static Mono<Void> handle(HttpServerRequest request, HttpServerResponse response, ServiceRoutes routes,
			ReverseProxy proxy, AtomicBoolean unidlerReachable) {
		Optional<String> key = ServiceRoutes.key(request.requestHeaders().get(HttpHeaderNames.HOST));
		if (key.isEmpty()) {
			// Never echo a Host that is not a label value: it may be anything.
			return response.status(HttpResponseStatus.BAD_REQUEST)
				.header(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
				.sendString(Mono.just("The Host header is not a valid host name.\n"))
				.then();
		}
		return routes.route(key.get()).flatMap((route) -> switch (route) {
			case UNIDLER -> unidlerReachable.get() ? proxy.forward(request, response) : html(response,
					HttpResponseStatus.BAD_GATEWAY, StandInPages.badGateway("The unidler cannot be reached."));
			case APP -> html(response, HttpResponseStatus.OK, appPage(key.get(), request.uri()));
			case NO_APP -> html(response, HttpResponseStatus.NOT_FOUND, StandInPages.noApp(key.get()));
		}).onErrorResume((ex) -> {
			logger.warn("Cannot route a request for {}", key.get(), ex);
			return response.hasSentHeaders() ? Mono.error(ex) : html(response, HttpResponseStatus.BAD_GATEWAY,
					StandInPages.badGateway("The Kubernetes API did not answer."));
		});
	}

	private static String appPage(String host, String uri) {
		int question = uri.indexOf('?');
		String path = (question >= 0) ? uri.substring(0, question) : uri;
		String query = (question >= 0) ? uri.substring(question + 1) : "";
		return StandInPages.app(host, path, query);
	}

	private static Mono<Void> html(HttpServerResponse response, HttpResponseStatus status, String page) {
		return response.status(status)
			.header(HttpHeaderNames.CONTENT_TYPE, HTML)
			.header(HttpHeaderNames.CACHE_CONTROL, "no-store")
			.sendString(Mono.just(page))
			.then();
	}

	/**
	 * Makes the unidler unreachable through this stand-in, or reachable again, as a
	 * network partition would: requests for idled hosts get {@code 502}.
	 * @param reachable whether requests reach the unidler
	 */
	public void unidlerReachable(boolean reachable) {
		this.unidlerReachable.set(reachable);
	}

	/** Drops every answer of the unidler being streamed now (event streams, mostly). */
	public void cutUnidlerStreams() {
		this.proxy.cutOpenAnswers();
	}

	/** The port it listens on. */
	public int port() {
		return this.server.port();
	}

	@Override
	public void close() {
		this.server.disposeNow(Duration.ofSeconds(5));
	}

	/**
	 * Runs the stand-in until the process is stopped.
	 * @param args {@code --port=}, {@code --unidler=}, {@code --kubeconfig=}, optionally
	 * {@code --label=}
	 * @throws IOException if the kubeconfig cannot be read
	 */
	public static void main(String[] args) throws IOException {
		Map<String, String> options = options(args);
		int port = Integer.parseInt(options.getOrDefault("port", "8080"));
		URI unidler = URI.create(options.getOrDefault("unidler", "http://127.0.0.1:8081"));
		Path kubeconfig = Path.of(options.getOrDefault("kubeconfig", ".cluster/kubeconfig"));
		ApiClient client;
		try (Reader reader = Files.newBufferedReader(kubeconfig, StandardCharsets.UTF_8)) {
			client = ClientBuilder.kubeconfig(KubeConfig.loadKubeConfig(reader)).build();
		}
		IngressStandIn standIn = start(port, unidler, client, options.getOrDefault("label", "host"));
		Runtime.getRuntime().addShutdownHook(new Thread(standIn::close, "ingress-stand-in-stop"));
		logger.info("Ingress stand-in on http://{}:{} (idled apps go to {}; Services from {})", LOOPBACK,
				standIn.port(), unidler, kubeconfig);
		standIn.server.onDispose().block();
	}

	private static Map<String, String> options(String[] args) {
		Map<String, String> options = new HashMap<>();
		for (String arg : args) {
			int equals = arg.indexOf('=');
			if (!arg.startsWith("--") || equals < 0) {
				throw new IllegalArgumentException(
						"Unknown argument " + arg + "; expected --port=, --unidler=, --kubeconfig= or --label=");
			}
			String name = arg.substring(2, equals);
			if (!Map.of("port", 0, "unidler", 0, "kubeconfig", 0, "label", 0).containsKey(name)) {
				throw new IllegalArgumentException("Unknown option --" + name);
			}
			options.put(name, arg.substring(equals + 1));
		}
		return options;
	}

}
