package dev.unidler.admin;

import java.net.InetSocketAddress;
import java.util.List;

import dev.unidler.access.ApiTokens;
import dev.unidler.access.ConsoleSessions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpCookie;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.authentication.AuthenticationWebFilter;
import org.springframework.security.web.server.authentication.ServerAuthenticationConverter;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.firewall.ServerWebExchangeFirewall;
import org.springframework.security.web.server.firewall.StrictServerWebExchangeFirewall;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.web.server.ServerWebExchange;

/**
 * Spring Security for the admin surface only. The public port, where the waiting page
 * answers every path of every host, is matched by no chain at all: no login, no cookies,
 * no headers added.
 *
 * <p>
 * On the admin port, a bearer token is resolved to its {@link Caller}; without one, the
 * console's session cookie or, when configured, a trusted proxy's user header (see
 * {@link ConsoleSessions}). Every decision is left to the handlers, which know the app
 * asked for: a missing or wrong token is an anonymous caller, so that a refused caller
 * gets the same answer as for an app that does not exist.
 *
 * <p>
 * Spring Security's own sessions and CSRF protection are off: a browser never sends a
 * bearer token by itself, so a forged cross-site request carries none; and a console
 * session counts for a change only with its synchronizer token in a header, which
 * {@link ConsoleSessions} checks.
 */
@Configuration(proxyBeanMethods = false)
class AdminSecurity {

	private static final Logger logger = LoggerFactory.getLogger(AdminSecurity.class);

	private static final String BEARER = "Bearer ";

	@Bean
	ReactiveAuthenticationManager apiTokenAuthentication(ApiTokens tokens) {
		return (authentication) -> authentication.isAuthenticated() ? Mono.just(authentication)
				: Mono.justOrEmpty(tokens.authenticate((String) authentication.getCredentials()))
					.<Authentication>map(
							(caller) -> UsernamePasswordAuthenticationToken.authenticated(caller, null, List.of()))
					.switchIfEmpty(Mono.error(() -> new BadCredentialsException("Unknown token")));
	}

	/**
	 * Spring Security's firewall refuses some methods and paths before any chain is
	 * chosen. The admin port gets it; the public port answers whatever reaches it itself
	 * (the waiting page, its own checks of odd requests), as if no security were there.
	 */
	@Bean
	ServerWebExchangeFirewall adminPortFirewall(AdminServer admin) {
		StrictServerWebExchangeFirewall strict = new StrictServerWebExchangeFirewall();
		return (exchange) -> onAdminPort(admin, exchange) ? strict.getFirewalledExchange(exchange)
				: Mono.just(exchange);
	}

	@Bean
	SecurityWebFilterChain adminSecurityFilterChain(ServerHttpSecurity http, AdminServer admin,
			ReactiveAuthenticationManager apiTokenAuthentication, FailedAuthentications failures,
			ConsoleSessions sessions) {
		AuthenticationWebFilter bearer = new AuthenticationWebFilter(apiTokenAuthentication);
		bearer.setServerAuthenticationConverter(callerOf(sessions));
		bearer.setSecurityContextRepository(NoOpServerSecurityContextRepository.getInstance());
		bearer.setAuthenticationFailureHandler((exchange, ex) -> {
			String client = clientOf(exchange.getExchange().getRequest().getRemoteAddress());
			logger.info("Refused an API token from {}", client);
			// Then on as an anonymous caller, slowed down when it keeps guessing.
			return Mono.delay(failures.failed(client)).then(exchange.getChain().filter(exchange.getExchange()));
		});
		ServerWebExchangeMatcher adminPort = (exchange) -> onAdminPort(admin, exchange)
				? ServerWebExchangeMatcher.MatchResult.match() : ServerWebExchangeMatcher.MatchResult.notMatch();
		return http.securityMatcher(adminPort)
			.csrf(ServerHttpSecurity.CsrfSpec::disable)
			.httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
			.formLogin(ServerHttpSecurity.FormLoginSpec::disable)
			.logout(ServerHttpSecurity.LogoutSpec::disable)
			.requestCache((cache) -> cache.requestCache(NoOpServerRequestCache.getInstance()))
			.securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
			.addFilterAt(bearer, SecurityWebFiltersOrder.AUTHENTICATION)
			.authorizeExchange((exchanges) -> exchanges.anyExchange().permitAll())
			.build();
	}

	private static boolean onAdminPort(AdminServer admin, ServerWebExchange exchange) {
		InetSocketAddress local = exchange.getRequest().getLocalAddress();
		return local != null && local.getPort() == admin.port();
	}

	/**
	 * The token of {@code Authorization: Bearer <token>}, to check; else the console's
	 * caller, already checked; nothing without either.
	 */
	private static ServerAuthenticationConverter callerOf(ConsoleSessions sessions) {
		return (exchange) -> {
			ServerHttpRequest request = exchange.getRequest();
			String header = request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
			if (header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
				String token = header.substring(BEARER.length()).strip();
				return Mono.just(UsernamePasswordAuthenticationToken.unauthenticated(null, token));
			}
			HttpCookie cookie = request.getCookies().getFirst(ConsoleSessions.COOKIE);
			String userHeader = (sessions.userHeader() != null) ? request.getHeaders().getFirst(sessions.userHeader())
					: null;
			if (userHeader != null && userHeader.isBlank()) {
				userHeader = null;
			}
			if (cookie == null && userHeader == null) {
				return Mono.empty();
			}
			boolean change = request.getMethod() != HttpMethod.GET && request.getMethod() != HttpMethod.HEAD;
			return Mono
				.justOrEmpty(sessions.authenticate((cookie != null) ? cookie.getValue() : null, userHeader, change,
						request.getHeaders().getFirst(ConsoleSessions.CSRF_HEADER)))
				.map((caller) -> UsernamePasswordAuthenticationToken.authenticated(caller, null, List.of()));
		};
	}

	private static String clientOf(InetSocketAddress remote) {
		return (remote != null && remote.getAddress() != null) ? remote.getAddress().getHostAddress() : "unknown";
	}

}
