package dev.unidler.web;

import java.time.Duration;
import java.util.Map;

import dev.unidler.UnidlerProperties;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The settings of this package bind from the environment variables the README names.
 */
class WakePolicySettingsTests {

	@Test
	void defaults() {
		UnidlerProperties properties = bind(Map.of());

		assertThat(properties.wakePolicy().methods()).containsExactly("HEAD", "OPTIONS", "TRACE");
		assertThat(properties.wakePolicy().paths()).contains("/robots.txt", "/favicon.ico");
		assertThat(properties.wakePolicy().userAgents()).contains("googlebot", "slackbot", "uptimerobot");
		assertThat(properties.wakePolicy().prefetch()).isTrue();
		assertThat(properties.shutdown().drain()).isEqualTo(Duration.ofSeconds(5));
	}

	@Test
	void environmentVariables() {
		UnidlerProperties properties = bind(Map.of("UNIDLER_WAKEPOLICY_METHODS", "HEAD,OPTIONS",
				"UNIDLER_WAKEPOLICY_PATHS", "/robots.txt", "UNIDLER_WAKEPOLICY_USERAGENTS", "googlebot,mymonitor",
				"UNIDLER_WAKEPOLICY_PREFETCH", "false", "UNIDLER_SHUTDOWN_DRAIN", "0s"));

		assertThat(properties.wakePolicy().methods()).containsExactly("HEAD", "OPTIONS");
		assertThat(properties.wakePolicy().paths()).containsExactly("/robots.txt");
		assertThat(properties.wakePolicy().userAgents()).containsExactly("googlebot", "mymonitor");
		assertThat(properties.wakePolicy().prefetch()).isFalse();
		assertThat(properties.shutdown().drain()).isZero();
	}

	private static UnidlerProperties bind(Map<String, Object> environment) {
		SystemEnvironmentPropertySource source = new SystemEnvironmentPropertySource(
				StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, environment);
		return new Binder(ConfigurationPropertySources.from(source)).bindOrCreate("unidler", UnidlerProperties.class);
	}

}
