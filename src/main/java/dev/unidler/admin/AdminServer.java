package dev.unidler.admin;

import java.net.InetSocketAddress;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.server.Shutdown;
import org.springframework.boot.web.server.WebServer;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.RequestPredicate;

/**
 * A second HTTP server, on the admin port, for the admin surface. It serves the same
 * application (the same routes, filters and security), so a route says where it answers
 * with {@link #onAdminPort()} or {@link #onPublicPort()}: the public port answers every
 * path of every host with the waiting page, including paths like {@code /api/v1/...} that
 * an idled app may have itself.
 */
@Component
public final class AdminServer implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(AdminServer.class);

	private final AdminProperties properties;

	private final ObjectProvider<HttpHandler> httpHandler;

	private volatile WebServer server;

	AdminServer(AdminProperties properties, ObjectProvider<HttpHandler> httpHandler) {
		this.properties = properties;
		this.httpHandler = httpHandler;
	}

	/** Requests that came in on the admin port. */
	public RequestPredicate onAdminPort() {
		return (request) -> request.localAddress().map(InetSocketAddress::getPort).orElse(-1) == port();
	}

	/** Requests that came in anywhere but the admin port. */
	public RequestPredicate onPublicPort() {
		return onAdminPort().negate();
	}

	/** The port it listens on, once started; -1 before. */
	public int port() {
		WebServer running = this.server;
		return (running != null) ? running.getPort() : -1;
	}

	@Override
	public void start() {
		NettyReactiveWebServerFactory factory = new NettyReactiveWebServerFactory(this.properties.port());
		factory.setAddress(this.properties.address());
		factory.setShutdown(Shutdown.GRACEFUL);
		WebServer started = factory.getWebServer(this.httpHandler.getObject());
		started.start();
		this.server = started;
		logger.info("Admin surface on port {}", started.getPort());
	}

	@Override
	public void stop(Runnable callback) {
		WebServer running = this.server;
		if (running == null) {
			callback.run();
			return;
		}
		running.shutDownGracefully((result) -> {
			running.stop();
			callback.run();
		});
	}

	@Override
	public void stop() {
		stop(() -> {
		});
	}

	@Override
	public boolean isRunning() {
		return this.server != null;
	}

}
