package dev.unidler.console;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import dev.unidler.UnidlerProperties;
import dev.unidler.access.Callers;
import dev.unidler.access.ConsoleSessions;
import dev.unidler.access.ConsoleSessions.Session;
import dev.unidler.admin.FailedAuthentications;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.thymeleaf.context.Context;
import org.thymeleaf.spring6.ISpringWebFluxTemplateEngine;
import reactor.core.publisher.Mono;

import org.springframework.core.codec.DecodingException;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpCookie;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.stereotype.Component;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.ServerWebInputException;

/**
 * The console's page, and signing in and out. Signed in, {@code GET /console} is the
 * console; otherwise it is the sign-in form, with {@code 401}. Behind a trusted proxy
 * ({@code unidler.console.user-header}) the proxy's user is signed in by the page itself.
 *
 * <p>
 * The session cookie is {@code HttpOnly} (no script reads it), {@code SameSite=Strict}
 * (no other site's page sends it) and {@code Secure} when the request came over TLS, to
 * this server or to a proxy that says so in {@code X-Forwarded-Proto}.
 */
@Component
final class ConsoleHandler {

	private static final Logger logger = LoggerFactory.getLogger(ConsoleHandler.class);

	static final String TEMPLATE = "console";

	static final String PATH = "/console";

	static final String BAD_FORM = "That request was not the sign-in form. Sign in from the form below.";

	private final ConsoleSessions sessions;

	private final FailedAuthentications failures;

	private final ISpringWebFluxTemplateEngine templates;

	private final ConsoleAssets assets;

	private final String productName;

	ConsoleHandler(ConsoleSessions sessions, FailedAuthentications failures, ISpringWebFluxTemplateEngine templates,
			ConsoleAssets assets, UnidlerProperties properties) {
		this.sessions = sessions;
		this.failures = failures;
		this.templates = templates;
		this.assets = assets;
		this.productName = properties.page().productName();
		// Parsed once here, on the starting thread, so that the template cache holds it
		// before the first request: reading the template is file I/O, which must not
		// happen on an event loop.
		Map<String, Object> model = model();
		model.put("signedIn", true);
		this.templates.process(TEMPLATE, new Context(Locale.ROOT, model));
	}

	/** {@code GET /console}. */
	Mono<ServerResponse> page(ServerRequest request) {
		String cookie = cookie(request);
		String headerName = this.sessions.userHeader();
		String user = (headerName != null) ? request.headers().firstHeader(headerName) : null;
		if (user != null && !user.isBlank()) {
			Optional<Session> session = this.sessions.forUser(cookie, user.strip());
			if (session.isEmpty()) {
				return signInPage(HttpStatus.FORBIDDEN,
						"You are signed in as " + user.strip() + ", who may not use this console.");
			}
			return console(request, session.get());
		}
		// The session counts only while its token does: Callers checked it again.
		return Callers.current()
			.flatMap((caller) -> Mono.justOrEmpty(this.sessions.find(cookie)))
			.flatMap((session) -> console(request, session))
			.switchIfEmpty(Mono.defer(() -> signInPage(HttpStatus.UNAUTHORIZED, null)));
	}

	/** {@code POST /console/sign-in} with the form field {@code token}. */
	Mono<ServerResponse> signIn(ServerRequest request) {
		if (!sameOrigin(request)) {
			return signInPage(HttpStatus.FORBIDDEN, "Sign in from the console's own page.");
		}
		return request.formData().flatMap((form) -> {
			String token = form.getFirst("token");
			Optional<Session> session = (token != null && !token.isBlank()) ? this.sessions.signIn(token)
					: Optional.empty();
			if (session.isPresent()) {
				logger.info("Console sign-in with token {}", session.get().name());
				return ServerResponse.seeOther(URI.create(PATH))
					.cookie(sessionCookie(request, session.get().id(), this.sessions.timeout().toSeconds()))
					.build();
			}
			String client = clientOf(request);
			logger.info("Refused a console sign-in from {}", client);
			return Mono.delay(this.failures.failed(client))
				.then(signInPage(HttpStatus.UNAUTHORIZED, "That token is not known. Check it and try again."));
		}).onErrorResume(ConsoleHandler::isBadForm, (ex) -> signInPage(HttpStatus.BAD_REQUEST, BAD_FORM));
	}

	/** {@code POST /console/sign-out} with the form field {@code _csrf}. */
	Mono<ServerResponse> signOut(ServerRequest request) {
		return request.formData().flatMap((form) -> {
			this.sessions.signOut(cookie(request), csrf(form));
			return ServerResponse.seeOther(URI.create(PATH)).cookie(sessionCookie(request, "", 0)).build();
		}).onErrorResume(ConsoleHandler::isBadForm, (ex) -> signInPage(HttpStatus.BAD_REQUEST, BAD_FORM));
	}

	/** A body that is too large or cannot be read as a form. */
	private static boolean isBadForm(Throwable error) {
		return error instanceof DataBufferLimitException || error instanceof DecodingException
				|| error instanceof ServerWebInputException;
	}

	private Mono<ServerResponse> console(ServerRequest request, Session session) {
		Map<String, Object> model = model();
		model.put("signedIn", true);
		model.put("name", session.name());
		model.put("csrf", session.csrf());
		ServerResponse.BodyBuilder ok = ServerResponse.ok();
		if (!session.id().equals(cookie(request))) {
			ok.cookie(sessionCookie(request, session.id(), this.sessions.timeout().toSeconds()));
		}
		return html(ok, model);
	}

	private Mono<ServerResponse> signInPage(HttpStatus status, @Nullable String error) {
		Map<String, Object> model = model();
		model.put("signedIn", false);
		model.put("error", error);
		model.put("proxy", this.sessions.userHeader() != null);
		return html(ServerResponse.status(status), model);
	}

	private Map<String, Object> model() {
		Map<String, Object> model = new HashMap<>();
		model.put("productName", this.productName);
		model.put("style", this.assets.style());
		model.put("script", this.assets.script());
		return model;
	}

	private Mono<ServerResponse> html(ServerResponse.BodyBuilder response, Map<String, Object> model) {
		String html = this.templates.process(TEMPLATE, new Context(Locale.ROOT, model));
		return response.contentType(MediaType.TEXT_HTML)
			.header(HttpHeaders.CACHE_CONTROL, "no-store")
			.header("Content-Security-Policy", this.assets.contentSecurityPolicy())
			// Not no-referrer: with it, browsers send "Origin: null" on the page's own
			// forms, which sign-in refuses as it would a sandboxed frame's.
			.header("Referrer-Policy", "same-origin")
			.bodyValue(html);
	}

	private static ResponseCookie sessionCookie(ServerRequest request, String value, long maxAgeSeconds) {
		return ResponseCookie.from(ConsoleSessions.COOKIE, value)
			.httpOnly(true)
			.sameSite("Strict")
			.secure(overTls(request))
			.path("/")
			.maxAge(maxAgeSeconds)
			.build();
	}

	private static boolean overTls(ServerRequest request) {
		return "https".equalsIgnoreCase(request.uri().getScheme())
				|| "https".equalsIgnoreCase(request.headers().firstHeader("X-Forwarded-Proto"));
	}

	/**
	 * A browser names the page a form was sent from: another site's page cannot sign
	 * anyone in (to an account of its choosing). Clients that send no {@code Origin} are
	 * not browsers posting across sites.
	 */
	private static boolean sameOrigin(ServerRequest request) {
		String origin = request.headers().firstHeader(HttpHeaders.ORIGIN);
		if (origin == null) {
			return true;
		}
		String host = request.headers().firstHeader(HttpHeaders.HOST);
		try {
			URI from = URI.create(origin);
			String authority = (from.getPort() >= 0) ? from.getHost() + ":" + from.getPort() : from.getHost();
			return host != null && host.equalsIgnoreCase(authority);
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

	private static @Nullable String cookie(ServerRequest request) {
		HttpCookie cookie = request.cookies().getFirst(ConsoleSessions.COOKIE);
		return (cookie != null) ? cookie.getValue() : null;
	}

	private static @Nullable String csrf(MultiValueMap<String, String> form) {
		return form.getFirst("_csrf");
	}

	private static String clientOf(ServerRequest request) {
		return request.remoteAddress()
			.map(InetSocketAddress::getAddress)
			.map((address) -> address.getHostAddress())
			.orElse("unknown");
	}

}
