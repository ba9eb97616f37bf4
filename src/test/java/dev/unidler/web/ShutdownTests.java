package dev.unidler.web;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.unidler.cluster.IdledApp;
import dev.unidler.cluster.IdledAppSpec;
import dev.unidler.cluster.RealCluster;
import dev.unidler.cluster.TestCluster;
import dev.unidler.cluster.TestNamespace;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Leaving service on {@code SIGTERM}: Spring Boot's shutdown hook closes the context,
 * which this test does from another thread while it keeps sending requests.
 */
@RealCluster
class ShutdownTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	@Test
	void healthTurns503AtOnceAndTheInstanceServesThroughTheDrainBeforeItStops(TestCluster cluster, TestNamespace ns)
			throws Exception {
		IdledApp app = ns.createIdledApp(IdledAppSpec.named("drain").host(UnidlingTests.host(ns, "drain")));
		UnidlerServer server = UnidlerServer.start(cluster, Map.of("unidler.shutdown.drain", "6s"));
		int port = server.port();
		assertThat(health(port).status()).isEqualTo(200);

		CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);

		RawHttp.Response health = awaitHealthNot200(port);
		assertThat(health.status()).isEqualTo(503);
		assertThat(health.header("Cache-Control")).isEqualTo("no-store");
		// Still serving: a new event stream is refused with a hint to retry (through the
		// Service, at another replica) ...
		RawHttp.Response events = RawHttp.send(port,
				RawHttp.request("GET", "/events", List.of("Host: " + app.host(), "Accept: text/event-stream")));
		assertThat(events.status()).isEqualTo(503);
		assertThat(events.retryAfter()).isEqualTo("5");
		// ... and the waiting page is served as before.
		RawHttp.Response page = RawHttp.send(port,
				RawHttp.request("GET", "/", List.of("Host: " + app.host(), "Accept: text/html")));
		assertThat(page.status()).isEqualTo(200);
		assertThat(page.body()).contains(app.host());

		// Then, after the drain, the server stops.
		closing.get(WAIT.toSeconds(), TimeUnit.SECONDS);
		assertThatExceptionOfType(UncheckedIOException.class).isThrownBy(() -> health(port));
	}

	private static RawHttp.Response awaitHealthNot200(int port) {
		Instant deadline = Instant.now().plus(WAIT);
		while (true) {
			RawHttp.Response health = health(port);
			if (health.status() != 200 || Instant.now().isAfter(deadline)) {
				return health;
			}
		}
	}

	private static RawHttp.Response health(int port) {
		return RawHttp.send(port, RawHttp.request("GET", "/healthz", List.of("Host: 10.0.0.7:8080")));
	}

}
