package dev.unidler.notify;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The settings bind from the environment variables the README names, with its defaults;
 * without a targets file webhooks are quietly off, and a file that cannot be used stops
 * the start with what is wrong.
 */
class WebhookConfigurationTests {

	@TempDir
	Path files;

	private final ApplicationContextRunner contexts = new ApplicationContextRunner()
		.withUserConfiguration(Properties.class, WebhookConfiguration.class)
		.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
		.withBean(JsonMapper.class, () -> JsonMapper.builder().build());

	@Test
	void defaults() {
		WebhookProperties properties = bind(Map.of());

		assertThat(properties.targetsFile()).isNull();
		assertThat(properties.reload()).isEqualTo(Duration.ofSeconds(10));
		assertThat(properties.timeout()).isEqualTo(Duration.ofSeconds(5));
		assertThat(properties.retries()).isEqualTo(3);
		assertThat(properties.firstBackoff()).isEqualTo(Duration.ofSeconds(1));
		assertThat(properties.maxBackoff()).isEqualTo(Duration.ofSeconds(30));
		assertThat(properties.queueCapacity()).isEqualTo(1000);
		assertThat(properties.concurrency()).isEqualTo(1);
		assertThat(properties.shutdownGrace()).isEqualTo(Duration.ofSeconds(5));
	}

	@Test
	void environmentVariables() {
		WebhookProperties properties = bind(Map.of("UNIDLER_WEBHOOKS_TARGETSFILE", "/etc/unidler/webhooks/targets.yaml",
				"UNIDLER_WEBHOOKS_RELOAD", "1m", "UNIDLER_WEBHOOKS_TIMEOUT", "2s", "UNIDLER_WEBHOOKS_RETRIES", "0",
				"UNIDLER_WEBHOOKS_FIRSTBACKOFF", "250ms", "UNIDLER_WEBHOOKS_MAXBACKOFF", "5s",
				"UNIDLER_WEBHOOKS_QUEUECAPACITY", "10", "UNIDLER_WEBHOOKS_CONCURRENCY", "4",
				"UNIDLER_WEBHOOKS_SHUTDOWNGRACE", "1s"));

		assertThat(properties.targetsFile()).isEqualTo(Path.of("/etc/unidler/webhooks/targets.yaml"));
		assertThat(properties.reload()).isEqualTo(Duration.ofMinutes(1));
		assertThat(properties.timeout()).isEqualTo(Duration.ofSeconds(2));
		assertThat(properties.retries()).isZero();
		assertThat(properties.firstBackoff()).isEqualTo(Duration.ofMillis(250));
		assertThat(properties.maxBackoff()).isEqualTo(Duration.ofSeconds(5));
		assertThat(properties.queueCapacity()).isEqualTo(10);
		assertThat(properties.concurrency()).isEqualTo(4);
		assertThat(properties.shutdownGrace()).isEqualTo(Duration.ofSeconds(1));
	}

	@Test
	void withoutATargetsFileNothingIsSent() {
		this.contexts.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(Webhooks.class).targets()).isEmpty();
		});
		// A file configured but not mounted yet: off until it appears.
		this.contexts.withPropertyValues("unidler.webhooks.targets-file=" + this.files.resolve("missing.yaml"))
			.run((context) -> assertThat(context.getBean(Webhooks.class).targets()).isEmpty());
	}

	@Test
	void aTargetsFileThatCannotBeUsedStopsTheStartSayingWhy() throws Exception {
		Path file = this.files.resolve("targets.yaml");
		Files.writeString(file, "targets:\n  - name: ci\n    url: file:///etc/passwd\n    secret: 0123456789abcdef\n");

		this.contexts.withPropertyValues("unidler.webhooks.targets-file=" + file).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(WebhookFileException.class)
				.hasMessageContaining("target 'ci': its 'url' must be http or https")
				.hasMessageNotContaining("0123456789abcdef");
		});
	}

	private static WebhookProperties bind(Map<String, Object> environment) {
		SystemEnvironmentPropertySource source = new SystemEnvironmentPropertySource(
				StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, environment);
		return new Binder(ConfigurationPropertySources.from(source)).bindOrCreate("unidler.webhooks",
				WebhookProperties.class);
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(WebhookProperties.class)
	static class Properties {

	}

}
