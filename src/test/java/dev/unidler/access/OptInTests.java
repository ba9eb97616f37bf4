package dev.unidler.access;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * An app allows restarts and idling only when its team said so.
 */
class OptInTests {

	private static final AppRef APP = new AppRef("Deployment", "analytics", "dashboard", "dash.example.com");

	@TempDir
	Path dir;

	@Test
	void aLabelOrAnnotationNamesTheActionsAnAppAllows() {
		OptIn optIn = new OptIn(properties(null));
		assertThat(optIn.allows(Action.RESTART, APP, Map.of("unidler.dev/allow", "restart"), Map.of())).isTrue();
		assertThat(optIn.allows(Action.IDLE, APP, Map.of("unidler.dev/allow", "restart"), Map.of())).isFalse();
		assertThat(optIn.allows(Action.IDLE, APP, Map.of(), Map.of("unidler.dev/allow", "restart, idle"))).isTrue();
		assertThat(optIn.allows(Action.RESTART, APP, Map.of(), Map.of())).isFalse();
		assertThat(optIn.allows(Action.RESTART, APP, Map.of("unidler.dev/allow", "restarts"), Map.of())).isFalse();
		// The idler's own opt-in is for idling only; a wake needs none.
		assertThat(optIn.allows(Action.IDLE, APP, Map.of("mojanalytics.xyz/idleable", "true"), Map.of())).isTrue();
		assertThat(optIn.allows(Action.RESTART, APP, Map.of("mojanalytics.xyz/idleable", "true"), Map.of())).isFalse();
		assertThat(optIn.allows(Action.WAKE, APP, Map.of(), Map.of())).isTrue();
	}

	@Test
	void theRestartConsolesAllowlistOptsAppsInByName() throws Exception {
		Path allowlist = this.dir.resolve("allowlist.yaml");
		Files.writeString(allowlist, """
				services:
				  - kind: Deployment
				    name: dashboard
				    namespace: analytics
				  - kind: StatefulSet
				    name: db
				    namespace: analytics
				""");
		OptIn optIn = new OptIn(properties(allowlist));
		assertThat(optIn.allows(Action.RESTART, APP, Map.of(), Map.of())).isTrue();
		assertThat(optIn.allows(Action.RESTART, new AppRef("StatefulSet", "analytics", "db", null), Map.of(), Map.of()))
			.isTrue();
		assertThat(optIn.allows(Action.RESTART, new AppRef("StatefulSet", "analytics", "dashboard", null), Map.of(),
				Map.of()))
			.isFalse();

		Files.writeString(allowlist, "services: [{kind: DaemonSet, name: x, namespace: y}]");
		assertThatExceptionOfType(AccessFileException.class).isThrownBy(() -> new OptIn(properties(allowlist)))
			.withMessageContaining("Deployment or StatefulSet");
	}

	private static AccessProperties properties(Path allowlist) {
		return new AccessProperties(null, allowlist, "unidler.dev/allow", Duration.ofSeconds(10), 5);
	}

}
