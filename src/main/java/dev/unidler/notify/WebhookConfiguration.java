package dev.unidler.notify;

import java.time.Clock;

import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Webhooks: on when a targets file is configured; without one the listener hears every
 * operation and sends nothing.
 */
@Configuration(proxyBeanMethods = false)
class WebhookConfiguration {

	@Bean
	@ConditionalOnMissingBean
	WebhookSender webhookSender(WebhookProperties properties) {
		return new WebhookSender(properties, Clock.systemUTC());
	}

	@Bean
	Webhooks webhooks(WebhookProperties properties, WebhookSender sender, MeterRegistry meters, JsonMapper json) {
		return new Webhooks(properties, new Payloads(json), new WebhookQueues(sender, meters, properties),
				Clock.systemUTC());
	}

}
