package dev.unidler.access;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Chat users from a file: the grants of tokens, by workspace and user; a user's own entry
 * before the workspace's, and files that cannot be used refused with the reason.
 */
class ChatUsersTests {

	private static final AppRef REPORTS = new AppRef("Deployment", "analytics", "dash", "reports.apps.example.com");

	@TempDir
	Path dir;

	@Test
	void aUserMayDoTheOperationsOfTheirEntryAndEveryoneElseThoseOfTheTeam() throws Exception {
		ChatUsers users = ChatUsers.read(file("""
				users:
				  - name: alice
				    team: T0001
				    user: U0001
				    operations: [wake, restart, idle]
				    apps: [{namespace: analytics}]
				  - name: team-one
				    team: T0001
				    user: "*"
				    operations: [wake]
				    apps: [{host: "*.apps.example.com"}]
				"""));

		Caller alice = users.find("T0001", "U0001").orElseThrow();
		assertThat(alice.name()).isEqualTo("alice");
		assertThat(alice.may(Action.RESTART, REPORTS)).isTrue();
		Caller bob = users.find("T0001", "U0002").orElseThrow();
		assertThat(bob.name()).isEqualTo("team-one");
		assertThat(bob.may(Action.WAKE, REPORTS)).isTrue();
		assertThat(bob.may(Action.RESTART, REPORTS)).isFalse();
		// The same user id in another workspace is someone else.
		assertThat(users.find("T0002", "U0001")).isEmpty();
	}

	@Test
	void aFileThatCannotBeUsedSaysWhy() throws Exception {
		assertThatExceptionOfType(AccessFileException.class).isThrownBy(() -> ChatUsers.read(file("""
				users:
				  - name: alice
				    user: U0001
				    operations: [wake]
				    apps: [{namespace: analytics}]
				"""))).withMessageContaining("needs 'name', 'team' and 'user'");
		assertThatExceptionOfType(AccessFileException.class).isThrownBy(() -> ChatUsers.read(file("""
				users:
				  - name: alice
				    team: T0001
				    user: U0001
				    operations: [reboot]
				    apps: [{namespace: analytics}]
				"""))).withMessageContaining("user 'alice': unknown operation 'reboot'");
		assertThatExceptionOfType(AccessFileException.class).isThrownBy(() -> ChatUsers.read(file("""
				users:
				  - {name: a, team: T0001, user: U0001, operations: [wake], apps: [{namespace: x}]}
				  - {name: b, team: T0001, user: U0001, operations: [wake], apps: [{namespace: y}]}
				"""))).withMessageContaining("listed twice");
	}

	private Path file(String content) throws Exception {
		Path file = Files.createTempFile(this.dir, "users", ".yaml");
		Files.writeString(file, content);
		return file;
	}

}
