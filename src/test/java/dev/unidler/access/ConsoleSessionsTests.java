package dev.unidler.access;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Console sessions: who a cookie stands for, why a change needs the synchronizer token
 * too, how a proxy's user is taken, and when a session ends.
 */
class ConsoleSessionsTests {

	private static final String TOKEN = "operator-token-0123456789";

	private static final AppRef WEB = new AppRef("Deployment", "team", "web", "web.example.test");

	@TempDir
	Path dir;

	private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-23T12:00:00Z"));

	private Path tokensFile;

	private Path usersFile;

	@BeforeEach
	void files() throws Exception {
		this.tokensFile = Files.writeString(this.dir.resolve("tokens.yaml"), """
				tokens:
				  - name: operator
				    token: "%s"
				    operations: [wake, restart]
				    apps: [{namespace: team}]
				""".formatted(TOKEN));
		this.usersFile = Files.writeString(this.dir.resolve("users.yaml"), """
				users:
				  - name: alice@example.com
				    operations: [wake, idle, restart]
				    apps: [{namespace: team}]
				  - name: "*"
				    operations: [wake]
				    apps: [{host: "*.example.test"}]
				""");
	}

	@Test
	void aSignedInCookieReadsButChangesNothingWithoutItsSynchronizerToken() {
		ConsoleSessions sessions = sessions(null);
		ConsoleSessions.Session session = sessions.signIn(TOKEN).orElseThrow();

		// Reading: the cookie alone.
		assertThat(sessions.authenticate(session.id(), null, false, null)).get()
			.satisfies((caller) -> assertThat(caller.may(Action.RESTART, WEB)).isTrue());
		// A change forged from another site carries the cookie but not the token.
		assertThat(sessions.authenticate(session.id(), null, true, null)).isEmpty();
		assertThat(sessions.authenticate(session.id(), null, true, "guessed")).isEmpty();
		assertThat(sessions.authenticate(session.id(), null, true, session.csrf())).get()
			.extracting(Caller::name)
			.isEqualTo("operator");
		// Another session's token is no good either.
		ConsoleSessions.Session other = sessions.signIn(TOKEN).orElseThrow();
		assertThat(sessions.authenticate(session.id(), null, true, other.csrf())).isEmpty();
		assertThat(session.id()).isNotEqualTo(other.id()).hasSizeGreaterThanOrEqualTo(43);
	}

	@Test
	void anUnknownTokenOrCookieSignsNobodyIn() {
		ConsoleSessions sessions = sessions(null);

		assertThat(sessions.signIn("wrong-token-0123456789")).isEmpty();
		assertThat(sessions.authenticate("no-such-session", null, false, null)).isEmpty();
		assertThat(sessions.authenticate(null, null, false, null)).isEmpty();
	}

	@Test
	void aSessionEndsAfterItsTimeoutWithoutARequestAndOnSignOut() {
		ConsoleSessions sessions = sessions(null);
		ConsoleSessions.Session session = sessions.signIn(TOKEN).orElseThrow();

		this.now.set(this.now.get().plus(Duration.ofMinutes(50)));
		assertThat(sessions.find(session.id())).isPresent();
		// Used 50 minutes in: alive for another hour from then.
		this.now.set(this.now.get().plus(Duration.ofMinutes(59)));
		assertThat(sessions.find(session.id())).isPresent();
		this.now.set(this.now.get().plus(Duration.ofMinutes(61)));
		assertThat(sessions.find(session.id())).isEmpty();

		ConsoleSessions.Session again = sessions.signIn(TOKEN).orElseThrow();
		assertThat(sessions.signOut(again.id(), "not its token")).isFalse();
		assertThat(sessions.signOut(again.id(), again.csrf())).isTrue();
		assertThat(sessions.authenticate(again.id(), null, false, null)).isEmpty();
	}

	@Test
	void aTokenTakenOutOfTheFileSignsItsSessionsOut() throws Exception {
		ApiTokens tokens = new ApiTokens(access());
		ConsoleSessions sessions = new ConsoleSessions(tokens, users(null), console(null), this.clock());
		ConsoleSessions.Session session = sessions.signIn(TOKEN).orElseThrow();
		Files.writeString(this.tokensFile, """
				tokens:
				  - name: someone-else
				    token: "someone-else-0123456789"
				    operations: [wake]
				    apps: [{namespace: team}]
				""");
		Files.setLastModifiedTime(this.tokensFile,
				java.nio.file.attribute.FileTime.from(Instant.now().plusSeconds(10)));

		tokens.reloadIfChanged();

		assertThat(sessions.authenticate(session.id(), null, false, null)).isEmpty();
	}

	@Test
	void aProxysUserIsTakenFromTheHeaderAndChangesNeedTheirOwnSession() {
		ConsoleSessions sessions = sessions("X-Forwarded-User");
		ConsoleSessions.Session alice = sessions.forUser(null, "alice@example.com").orElseThrow();
		ConsoleSessions.Session bob = sessions.forUser(null, "bob@example.com").orElseThrow();

		assertThat(sessions.authenticate(null, "alice@example.com", false, null)).get()
			.satisfies((caller) -> assertThat(caller.may(Action.IDLE, WEB)).isTrue());
		// Everyone else gets the "*" entry, under their own name.
		assertThat(sessions.authenticate(null, "bob@example.com", false, null)).get().satisfies((caller) -> {
			assertThat(caller.name()).isEqualTo("bob@example.com");
			assertThat(caller.may(Action.WAKE, WEB)).isTrue();
			assertThat(caller.may(Action.IDLE, WEB)).isFalse();
		});
		assertThat(sessions.authenticate(alice.id(), "alice@example.com", true, alice.csrf())).isPresent();
		assertThat(sessions.authenticate(null, "alice@example.com", true, null)).isEmpty();
		// Bob's page cannot change things as Alice.
		assertThat(sessions.authenticate(bob.id(), "alice@example.com", true, bob.csrf())).isEmpty();
		// The same browser keeps its session.
		assertThat(sessions.forUser(alice.id(), "alice@example.com")).get()
			.extracting(ConsoleSessions.Session::id)
			.isEqualTo(alice.id());
	}

	@Test
	void aProxysUserTheFileDoesNotKnowMayNotUseTheConsole() throws Exception {
		Files.writeString(this.usersFile, """
				users:
				  - name: alice@example.com
				    operations: [wake]
				    apps: [{namespace: team}]
				""");
		ConsoleSessions sessions = sessions("X-Forwarded-User");

		assertThat(sessions.forUser(null, "mallory@example.com")).isEmpty();
		assertThat(sessions.authenticate(null, "mallory@example.com", false, null)).isEmpty();
	}

	@Test
	void sessionsBeyondTheCapSignTheOldestOut() {
		ConsoleSessions sessions = new ConsoleSessions(new ApiTokens(access()), users(null),
				new ConsoleProperties(Duration.ofHours(1), 2, null, null), clock());
		ConsoleSessions.Session first = sessions.signIn(TOKEN).orElseThrow();
		this.now.set(this.now.get().plusSeconds(1));
		ConsoleSessions.Session second = sessions.signIn(TOKEN).orElseThrow();
		this.now.set(this.now.get().plusSeconds(1));
		ConsoleSessions.Session third = sessions.signIn(TOKEN).orElseThrow();

		assertThat(sessions.size()).isEqualTo(2);
		assertThat(sessions.find(first.id())).isEmpty();
		assertThat(sessions.find(second.id())).isPresent();
		assertThat(sessions.find(third.id())).isPresent();
	}

	private ConsoleSessions sessions(String userHeader) {
		return new ConsoleSessions(new ApiTokens(access()), users(userHeader), console(userHeader), clock());
	}

	private ConsoleUsers users(String userHeader) {
		return new ConsoleUsers(console(userHeader), access());
	}

	private ConsoleProperties console(String userHeader) {
		return new ConsoleProperties(Duration.ofHours(1), 100, userHeader, this.usersFile);
	}

	private AccessProperties access() {
		return new AccessProperties(this.tokensFile, null, "unidler.dev/allow", Duration.ofSeconds(10), 5);
	}

	private InstantSource clock() {
		return this.now::get;
	}

}
