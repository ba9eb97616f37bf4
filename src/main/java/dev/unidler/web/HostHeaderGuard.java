package dev.unidler.web;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import org.jspecify.annotations.Nullable;
import reactor.netty.NettyPipeline;

import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.stereotype.Component;

/**
 * Refuses, with {@code 400}, a request whose {@code Host} header is malformed at the HTTP
 * level, before Reactor Netty reads it:
 * <ul>
 * <li>two or more {@code Host} headers (RFC 9112, 3.2: "MUST respond with a 400"); Netty
 * would silently take the first;</li>
 * <li>a port that is not a number from 1 to 65535: Reactor Netty parses the port with
 * {@code Integer.parseInt}, answers {@code 400} itself when that throws, and logs a WARN
 * for every such request, which anyone could use to flood the log.</li>
 * </ul>
 * This applies to every path, {@code /healthz} included. Whether the host is a DNS name
 * is left to {@link RequestHosts}: a probe may name the pod by an IPv6 address. The
 * connection is closed after the answer; refusals are counted by {@link BadHosts}.
 */
@Component
final class HostHeaderGuard implements NettyServerCustomizer {

	private static final String NAME = "unidler.hostHeaderGuard";

	private final BadHosts badHosts;

	HostHeaderGuard(BadHosts badHosts) {
		this.badHosts = badHosts;
	}

	@Override
	public reactor.netty.http.server.HttpServer apply(reactor.netty.http.server.HttpServer server) {
		return server.doOnChannelInit((observer, channel, remoteAddress) -> {
			if (channel.pipeline().get(NettyPipeline.HttpTrafficHandler) != null) {
				channel.pipeline().addBefore(NettyPipeline.HttpTrafficHandler, NAME, new Handler(this.badHosts));
			}
		});
	}

	/**
	 * What is wrong with a request's {@code Host} headers at the HTTP level.
	 * @param values every {@code Host} header of the request
	 * @return a few words saying what, or {@code null} when nothing is
	 */
	static @Nullable String problem(List<String> values) {
		if (values.size() > 1) {
			return "several Host headers";
		}
		if (values.isEmpty()) {
			return null;
		}
		String host = values.get(0);
		// Where Reactor Netty looks for the port: after an IPv6 literal's ']', if any.
		int colon = (!host.isEmpty() && host.charAt(0) == '[') ? host.indexOf(':', host.indexOf(']'))
				: host.indexOf(':');
		if (colon >= 0 && !RequestHosts.isPort(host.substring(colon + 1))) {
			return "a port that is not 1-65535";
		}
		return null;
	}

	/** One per connection: after a refusal it drops the rest of that request. */
	private static final class Handler extends ChannelInboundHandlerAdapter {

		private static final byte[] BODY = "The request must carry one Host header, with a port from 1 to 65535.\n"
			.getBytes(StandardCharsets.UTF_8);

		private final BadHosts badHosts;

		private boolean refused;

		Handler(BadHosts badHosts) {
			this.badHosts = badHosts;
		}

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			if (msg instanceof HttpRequest request && !this.refused) {
				String problem = problem(request.headers().getAll(HttpHeaderNames.HOST));
				if (problem != null) {
					this.refused = true;
					ReferenceCountUtil.release(msg);
					this.badHosts.refused(problem);
					ctx.writeAndFlush(badRequest()).addListener(ChannelFutureListener.CLOSE);
					return;
				}
			}
			if (this.refused && (msg instanceof HttpRequest || msg instanceof HttpContent)) {
				// The body of the refused request, or a pipelined one: the connection
				// is closing.
				ReferenceCountUtil.release(msg);
				return;
			}
			ctx.fireChannelRead(msg);
		}

		private static FullHttpResponse badRequest() {
			FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
					HttpResponseStatus.BAD_REQUEST, Unpooled.wrappedBuffer(BODY));
			response.headers()
				.set(HttpHeaderNames.CONTENT_TYPE, "text/plain;charset=UTF-8")
				.setInt(HttpHeaderNames.CONTENT_LENGTH, BODY.length)
				.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
				.set(HttpHeaderNames.CACHE_CONTROL, "no-store");
			return response;
		}

	}

}
