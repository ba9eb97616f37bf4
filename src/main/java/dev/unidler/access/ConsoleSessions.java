package dev.unidler.access;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Console sessions: who a browser is, and the token that proves a change was asked from
 * the console's own page.
 *
 * <p>
 * A browser signs in once, with an API token or through an authenticating proxy, and gets
 * a session cookie holding a random id (never the token). The session keeps the token in
 * this replica's memory and checks it again on every request, so a token taken out of the
 * tokens file signs its sessions out at the next request. Behind a proxy, the proxy's
 * header names the user on every request; the session then only carries the synchronizer
 * token and must belong to the same user.
 *
 * <p>
 * Changes (every method but {@code GET} and {@code HEAD}) also need the session's
 * synchronizer token in a header, which a page on another site cannot read or send: a
 * forged cross-site request carries the cookie (were it not {@code SameSite=Strict}) but
 * never the token, and is treated as anonymous.
 */
@Component
public final class ConsoleSessions {

	/** The session cookie. */
	public static final String COOKIE = "unidler-console";

	/** The header that carries the synchronizer token. */
	public static final String CSRF_HEADER = "X-CSRF-Token";

	private final ApiTokens tokens;

	private final ConsoleUsers users;

	private final Duration timeout;

	private final int maxSessions;

	private final @Nullable String userHeader;

	private final InstantSource clock;

	private final SecureRandom random;

	private final Map<String, Session> sessions = new ConcurrentHashMap<>();

	@Autowired
	ConsoleSessions(ApiTokens tokens, ConsoleUsers users, ConsoleProperties properties) {
		this(tokens, users, properties, InstantSource.system());
	}

	ConsoleSessions(ApiTokens tokens, ConsoleUsers users, ConsoleProperties properties, InstantSource clock) {
		this.tokens = tokens;
		this.users = users;
		this.timeout = properties.sessionTimeout();
		this.maxSessions = properties.maxSessions();
		this.userHeader = properties.userHeader();
		this.clock = clock;
		try {
			// Seeded here, on the starting thread: the default generator may read a file
			// on first use, which an event loop must not wait for.
			this.random = SecureRandom.getInstance("DRBG");
			this.random.nextBytes(new byte[32]);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("DRBG is part of every JDK", ex);
		}
	}

	/** The header a trusted proxy names the user in; {@code null} when off. */
	public @Nullable String userHeader() {
		return this.userHeader;
	}

	/**
	 * Signs a browser in with an API token.
	 * @param token the token as typed
	 * @return the new session, or empty when the token is not known
	 */
	public Optional<Session> signIn(String token) {
		String presented = token.strip();
		return this.tokens.authenticate(presented).map((caller) -> create(presented, null, caller.name()));
	}

	/**
	 * A session for a user a trusted proxy signed in: the one the browser has, when it is
	 * theirs, or a new one.
	 * @param cookie the session cookie's value, if any
	 * @param user the user the proxy names
	 * @return the session, or empty when the users file does not know the user
	 */
	public Optional<Session> forUser(@Nullable String cookie, String user) {
		if (this.users.find(user).isEmpty()) {
			return Optional.empty();
		}
		return find(cookie).filter((session) -> user.equals(session.user()))
			.or(() -> Optional.of(create(null, user, user)));
	}

	/** The live session a cookie names, if any; using it keeps it alive. */
	public Optional<Session> find(@Nullable String cookie) {
		if (cookie == null) {
			return Optional.empty();
		}
		Session session = this.sessions.get(cookie);
		if (session == null) {
			return Optional.empty();
		}
		Instant now = this.clock.instant();
		if (session.isExpired(now)) {
			this.sessions.remove(cookie, session);
			return Optional.empty();
		}
		session.touch(now, this.timeout);
		return Optional.of(session);
	}

	/**
	 * Who makes a request of the admin surface that carries no bearer token.
	 * @param cookie the session cookie's value, if any
	 * @param headerUser the user the trusted proxy's header names, when that is on and
	 * the header is there
	 * @param change whether the request changes something (any method but {@code GET} and
	 * {@code HEAD})
	 * @param csrf the synchronizer token the request carries, if any
	 * @return the caller, or empty: anonymous
	 */
	public Optional<Caller> authenticate(@Nullable String cookie, @Nullable String headerUser, boolean change,
			@Nullable String csrf) {
		Optional<Session> session = find(cookie);
		if (change && (session.isEmpty() || !session.get().admits(csrf))) {
			return Optional.empty();
		}
		if (headerUser != null) {
			if (change && !headerUser.equals(session.get().user())) {
				return Optional.empty();
			}
			return this.users.find(headerUser);
		}
		return session.map(Session::token).flatMap(this.tokens::authenticate);
	}

	/**
	 * Signs a session out, when the request carries its synchronizer token: a page on
	 * another site cannot sign anyone out.
	 * @param cookie the session cookie's value, if any
	 * @param csrf the synchronizer token the request carries, if any
	 * @return whether a session was signed out
	 */
	public boolean signOut(@Nullable String cookie, @Nullable String csrf) {
		Optional<Session> session = find(cookie);
		return session.isPresent() && session.get().admits(csrf) && this.sessions.remove(cookie, session.get());
	}

	/** How long a session lives without a request: the cookie's lifetime too. */
	public Duration timeout() {
		return this.timeout;
	}

	int size() {
		return this.sessions.size();
	}

	private Session create(@Nullable String token, @Nullable String user, String name) {
		Instant now = this.clock.instant();
		if (this.sessions.size() >= this.maxSessions) {
			this.sessions.values().removeIf((session) -> session.isExpired(now));
			while (this.sessions.size() >= this.maxSessions) {
				this.sessions.values()
					.stream()
					.min(Comparator.comparing(Session::expires))
					.ifPresent((oldest) -> this.sessions.remove(oldest.id(), oldest));
			}
		}
		Session session = new Session(randomId(), randomId(), token, user, name, now.plus(this.timeout));
		this.sessions.put(session.id(), session);
		return session;
	}

	private String randomId() {
		byte[] bytes = new byte[32];
		synchronized (this.random) {
			this.random.nextBytes(bytes);
		}
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	/** One signed-in browser. */
	public static final class Session {

		private final String id;

		private final String csrf;

		private final @Nullable String token;

		private final @Nullable String user;

		private final String name;

		private volatile Instant expires;

		Session(String id, String csrf, @Nullable String token, @Nullable String user, String name, Instant expires) {
			this.id = id;
			this.csrf = csrf;
			this.token = token;
			this.user = user;
			this.name = name;
			this.expires = expires;
		}

		/** The cookie's value. */
		public String id() {
			return this.id;
		}

		/** The synchronizer token the console's page sends with every change. */
		public String csrf() {
			return this.csrf;
		}

		/** Who signed in: the token's name, or the proxy's user. */
		public String name() {
			return this.name;
		}

		@Nullable String token() {
			return this.token;
		}

		@Nullable String user() {
			return this.user;
		}

		Instant expires() {
			return this.expires;
		}

		boolean isExpired(Instant now) {
			return !now.isBefore(this.expires);
		}

		void touch(Instant now, Duration timeout) {
			this.expires = now.plus(timeout);
		}

		/** Compared in constant time: the time taken says nothing about the token. */
		boolean admits(@Nullable String presented) {
			return presented != null && MessageDigest.isEqual(this.csrf.getBytes(StandardCharsets.UTF_8),
					presented.getBytes(StandardCharsets.UTF_8));
		}

	}

}
