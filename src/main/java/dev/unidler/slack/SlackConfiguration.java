package dev.unidler.slack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

import dev.unidler.UnidlerProperties;
import dev.unidler.access.OptIn;
import dev.unidler.app.AppKeys;
import dev.unidler.idle.Idles;
import dev.unidler.restart.Restarts;
import dev.unidler.restart.Workloads;
import dev.unidler.wake.Wakes;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Slack slash commands: on when a signing secret is configured, which the log says once
 * at start-up either way.
 */
@Configuration(proxyBeanMethods = false)
class SlackConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(SlackConfiguration.class);

	@Bean
	SlackUsers slackUsers(SlackProperties properties) {
		return new SlackUsers(properties);
	}

	@Bean
	@ConditionalOnMissingBean
	ResponseUrls slackResponseUrls(SlackProperties properties) {
		return new ResponseUrls(properties);
	}

	@Bean
	SlackCommands slackCommands(SlackProperties properties, SlackUsers users, ResponseUrls responseUrls, Wakes wakes,
			Idles idles, Restarts restarts, Workloads workloads, OptIn optIn, AppKeys keys, UnidlerProperties unidler,
			JsonMapper json) {
		byte[] secret = signingSecret(properties.signingSecretFile());
		SlackSignatures signatures = (secret != null)
				? new SlackSignatures(secret, Clock.systemUTC(), properties.replayMemory()) : null;
		if (signatures != null) {
			logger.info("Slack commands on at POST /slack/commands on the admin port");
			users.describe();
		}
		return new SlackCommands(properties, signatures, users,
				new SlackOperations(wakes, idles, restarts, workloads, optIn, keys, unidler), new SlackMessages(json),
				responseUrls);
	}

	/** The signing secret, or {@code null} (commands off) with the reason logged once. */
	private static byte @Nullable [] signingSecret(@Nullable Path file) {
		if (file == null) {
			logger.info("Slack commands are off: no signing secret (unidler.slack.signing-secret-file)");
			return null;
		}
		try {
			String secret = Files.readString(file, StandardCharsets.UTF_8).strip();
			if (secret.isEmpty()) {
				logger.warn("Slack commands are off: the signing secret file {} is empty", file);
				return null;
			}
			return secret.getBytes(StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			logger.warn("Slack commands are off: cannot read the signing secret file {} ({})", file,
					ex.getClass().getSimpleName());
			return null;
		}
	}

}
