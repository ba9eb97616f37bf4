package dev.unidler.access;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tokens from a file: what each may do, how a file that cannot be used is refused, and
 * how a change is taken up.
 */
class ApiTokensTests {

	private static final AppRef REPORTS = new AppRef("Deployment", "analytics", "dash-reports",
			"reports.apps.example.com");

	@TempDir
	Path dir;

	@Test
	void aTokenMayDoItsOperationsOnTheAppsItNames() throws Exception {
		ApiTokens tokens = tokens("""
				tokens:
				  - name: by-namespace
				    sha256: "%s"
				    operations: [restart]
				    apps: [{namespace: analytics}]
				  - name: by-name
				    token: "by-name-token-0123456789"
				    operations: [restart, idle]
				    apps: [{name: "analytics/dash-*"}]
				  - name: by-host
				    token: "by-host-token-0123456789"
				    operations: [RESTART]
				    apps: [{host: "*.apps.example.com"}]
				""".formatted(HexFormat.of().formatHex(TokenFile.sha256("by-namespace-token-0123456789"))));

		Caller byNamespace = tokens.authenticate("by-namespace-token-0123456789").orElseThrow();
		assertThat(byNamespace.name()).isEqualTo("by-namespace");
		assertThat(byNamespace.may(Action.RESTART, REPORTS)).isTrue();
		assertThat(byNamespace.may(Action.IDLE, REPORTS)).isFalse();
		assertThat(byNamespace.may(Action.RESTART, new AppRef("Deployment", "analytics-2", "x", null))).isFalse();
		Caller byName = tokens.authenticate("by-name-token-0123456789").orElseThrow();
		assertThat(byName.may(Action.IDLE, REPORTS)).isTrue();
		assertThat(byName.may(Action.RESTART, new AppRef("Deployment", "analytics", "other", null))).isFalse();
		assertThat(byName.may(Action.RESTART, new AppRef("Deployment", "analytics/dash", "x", null))).isFalse();
		Caller byHost = tokens.authenticate("by-host-token-0123456789").orElseThrow();
		assertThat(byHost.may(Action.RESTART, REPORTS)).isTrue();
		assertThat(byHost.may(Action.RESTART, new AppRef("Deployment", "analytics", "x", "apps.example.com.evil")))
			.isFalse();
		assertThat(tokens.authenticate("by-host-token-012345678")).isEmpty();
		assertThat(tokens.authenticate("")).isEmpty();
	}

	@Test
	void aFileThatCannotBeUsedIsRefusedSayingWhyAndNeverShowingAToken() {
		Map<String, String> broken = Map.of("tokens: [", "is not valid YAML", "other: []", "must hold a list 'tokens'",
				"tokens: [{name: a, token: short-token, operations: [restart], apps: [{namespace: x}]}]",
				"at least 16 characters",
				"tokens: [{name: a, token: a-long-enough-token, sha256: abc, operations: [restart], apps: [{namespace: x}]}]",
				"exactly one of 'sha256' and 'token'",
				"tokens: [{name: a, token: a-long-enough-token, operations: [reboot], apps: [{namespace: x}]}]",
				"unknown operation 'reboot'",
				"tokens: [{name: a, token: a-long-enough-token, operations: [restart], apps: [{cluster: x}]}]",
				"each of 'apps'",
				"tokens: [{name: a, token: a-long-enough-token, operations: [restart], apps: [{namespace: x}]},"
						+ " {name: a, token: another-long-token, operations: [restart], apps: [{namespace: x}]}]",
				"used twice");
		broken.forEach(
				(yaml, problem) -> assertThatExceptionOfType(AccessFileException.class).isThrownBy(() -> tokens(yaml))
					.withMessageContaining(problem)
					.withMessageNotContaining("a-long-enough-token"));
	}

	@Test
	void aChangedFileIsTakenUpAndABrokenChangeKeepsTheTokensBefore() throws Exception {
		Path file = this.dir.resolve("tokens.yaml");
		Files.writeString(file, one("first", "first-token-0123456789"));
		ApiTokens tokens = new ApiTokens(properties(file));
		assertThat(tokens.authenticate("first-token-0123456789")).isPresent();

		Files.writeString(file, one("second", "second-token-0123456789"));
		Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
		tokens.reloadIfChanged();
		assertThat(tokens.authenticate("first-token-0123456789")).isEmpty();
		assertThat(tokens.authenticate("second-token-0123456789")).isPresent();

		Files.writeString(file, "tokens: [");
		Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(10)));
		tokens.reloadIfChanged();
		assertThat(tokens.authenticate("second-token-0123456789")).isPresent();
	}

	@Test
	void aTokensFileThatDoesNotExistYetIsPickedUpWhenItAppears() throws Exception {
		Path file = this.dir.resolve("later.yaml");
		ApiTokens tokens = new ApiTokens(properties(file));
		assertThat(tokens.authenticate("later-token-0123456789")).isEmpty();

		Files.writeString(file, one("later", "later-token-0123456789"));
		tokens.reloadIfChanged();
		assertThat(tokens.authenticate("later-token-0123456789")).isPresent();
	}

	private ApiTokens tokens(String yaml) throws Exception {
		Path file = Files.createTempFile(this.dir, "tokens", ".yaml");
		Files.writeString(file, yaml);
		return new ApiTokens(properties(file));
	}

	private static String one(String name, String token) {
		return "tokens: [{name: " + name + ", token: " + token + ", operations: [restart], apps: [{namespace: x}]}]";
	}

	static AccessProperties properties(Path tokensFile) {
		return new AccessProperties(tokensFile, null, "unidler.dev/allow", Duration.ofSeconds(10), 5);
	}

}
