package dev.unidler.notify;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

import dev.unidler.notify.WebhookTarget.EventType;
import dev.unidler.notify.WebhookTarget.Format;
import dev.unidler.notify.WebhookTarget.Outcome;
import dev.unidler.operation.OperationKind;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The targets file: its defaults, every way it can be wrong said without the secret or
 * the URL, a start refused on a bad file, and a bad change that keeps the last good
 * targets.
 */
@ExtendWith(OutputCaptureExtension.class)
class WebhookTargetsTests {

	private static final String SECRET = "a-secret-nobody-may-read-0123";

	@TempDir
	Path files;

	@Test
	void aTargetGetsTheDocumentedDefaults() throws Exception {
		Path file = write("""
				targets:
				  - name: ci
				    url: https://ci.example.com/hooks/unidler
				    secret: %s
				""".formatted(SECRET));

		WebhookTarget target = WebhookTargets.read(file).get(0);

		assertThat(target.format()).isEqualTo(Format.JSON);
		assertThat(target.events()).containsExactlyInAnyOrder(EventType.STARTED, EventType.ENDED);
		assertThat(target.kinds()).containsExactlyInAnyOrder(OperationKind.values());
		assertThat(target.outcomes()).containsExactlyInAnyOrder(Outcome.values());
		assertThat(target.wants(EventType.STEP, OperationKind.WAKE, null)).isFalse();
		assertThat(target.wants(EventType.ENDED, OperationKind.IDLE, Outcome.ABANDONED)).isTrue();
	}

	@Test
	void everyMistakeIsNamedWithoutTheSecretOrTheUrl() throws Exception {
		Map<String, String> mistakes = Map.of("""
				targets:
				  - name: ci
				    url: ftp://files.example.com/secret-path
				    secret: %s
				""", "target 'ci': its 'url' must be http or https", """
				targets:
				  - name: ci
				    url: https://user:pw@ci.example.com/secret-path
				    secret: %s
				""", "target 'ci': its 'url' needs a host, and may carry neither user info nor a fragment", """
				targets:
				  - name: ci
				    url: https://ci.example.com/secret-path
				    secret: short
				""", "target 'ci' needs a 'secret' of at least 16 characters", """
				targets:
				  - name: ci
				    url: https://ci.example.com/secret-path
				    secret: %s
				    events: [started, finished]
				""", "target 'ci': 'events' has an unknown value 'finished'", """
				targets:
				  - name: CI Hook
				    url: https://ci.example.com/secret-path
				    secret: %s
				""", "target 1 needs a 'name' of lower-case letters, digits and '-'", """
				targets:
				  - name: ci
				    url: https://ci.example.com/secret-path
				    secret: %s
				  - name: ci
				    url: https://ci.example.com/secret-path
				    secret: %s
				""", "target 'ci' is listed twice", """
				targets:
				  - name: ci
				    url: https://ci.example.com/secret-path
				    secret: "%s
				""", "is not valid YAML");
		for (Map.Entry<String, String> mistake : mistakes.entrySet()) {
			Path file = write(mistake.getKey().replace("%s", SECRET));
			assertThatExceptionOfType(WebhookFileException.class).isThrownBy(() -> WebhookTargets.read(file))
				.withMessageContaining(mistake.getValue())
				.withMessageNotContaining(SECRET)
				.withMessageNotContaining("secret-path");
		}
	}

	@Test
	void aBadFileStopsTheStartAndABadChangeKeepsTheLastGoodTargets(CapturedOutput output) throws Exception {
		Path file = write("""
				targets:
				  - name: ci
				    url: http://127.0.0.1:9/hooks
				    secret: %s
				""".formatted(SECRET));
		Path bad = this.files.resolve("bad.yaml");
		Files.writeString(bad, "targets: nothing");
		assertThatExceptionOfType(WebhookFileException.class).isThrownBy(() -> webhooks(bad))
			.withMessageContaining("must hold a list 'targets'");

		Webhooks webhooks = webhooks(file);
		Files.writeString(file, "targets:\n  - name: ci\n    url: gopher://127.0.0.1/\n    secret: " + SECRET + "\n");
		webhooks.reload(file);
		assertThat(webhooks.targets()).extracting(WebhookTarget::name).containsExactly("ci");
		assertThat(webhooks.targets().get(0).url().getScheme()).isEqualTo("http");
		assertThat(output.getAll()).contains("Kept the webhook targets read before: ")
			.contains("its 'url' must be http or https");

		Files.writeString(file, "targets:\n  - name: other\n    url: https://127.0.0.1/\n    secret: " + SECRET + "\n");
		webhooks.reload(file);
		assertThat(webhooks.targets()).extracting(WebhookTarget::name).containsExactly("other");
	}

	private Webhooks webhooks(Path file) {
		WebhookProperties properties = new Binder(
				new MapConfigurationPropertySource(Map.of("unidler.webhooks.targets-file", file.toString())))
			.bindOrCreate("unidler.webhooks", Bindable.of(WebhookProperties.class));
		return new Webhooks(properties, new Payloads(JsonMapper.builder().build()),
				new WebhookQueues(new WebhookSender(properties, Clock.systemUTC()), new SimpleMeterRegistry(),
						properties),
				Clock.systemUTC());
	}

	private Path write(String content) throws Exception {
		Path file = Files.createTempFile(this.files, "targets", ".yaml");
		Files.writeString(file, content);
		return file;
	}

}
