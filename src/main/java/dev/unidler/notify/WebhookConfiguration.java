package dev.unidler.notify;

import java.time.Clock;

import dev.unidler.operation.OperationListeners;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Webhooks: on when a targets file is configured; without one the listener hears every
 * operation and sends nothing.
 */
@Configuration(proxyBeanMethods = false)
class WebhookConfiguration {

	private static final String WEBHOOKS = "webhooks";

	@Bean
	@ConditionalOnMissingBean
	WebhookSender webhookSender(WebhookProperties properties) {
		return new WebhookSender(properties, Clock.systemUTC());
	}

	/**
	 * Webhooks, destroyed after the operations' pipelines: those abandon what still runs
	 * as they are destroyed, and webhooks deliver that before closing their queues.
	 */
	@Bean(WEBHOOKS)
	Webhooks webhooks(WebhookProperties properties, WebhookSender sender, MeterRegistry meters, JsonMapper json,
			ConfigurableListableBeanFactory beans) {
		// Whatever depends on the listeners (every pipeline) is destroyed before them,
		// and they before webhooks.
		for (String listeners : beans.getBeanNamesForType(OperationListeners.class, false, false)) {
			beans.registerDependentBean(WEBHOOKS, listeners);
		}
		return new Webhooks(properties, new Payloads(json), new WebhookQueues(sender, meters, properties),
				Clock.systemUTC());
	}

}
