package dev.unidler.notify;

import java.nio.file.Path;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Webhooks ({@code unidler.webhooks.*}, {@code UNIDLER_WEBHOOKS_*}).
 *
 * @param targetsFile the targets (YAML, see the README), a mounted Secret since each
 * carries its signing secret; without it, or while it is missing, no webhooks are sent
 * @param reload how often the targets file is looked at again
 * @param timeout the longest one try may take: connecting, and again waiting for the
 * answer
 * @param retries further tries of a delivery that got no answer, a {@code 5xx}, a
 * {@code 408} or a {@code 429}
 * @param firstBackoff the wait before the first retry; it doubles at each retry, with
 * jitter
 * @param maxBackoff the longest wait between two tries
 * @param queueCapacity deliveries one target may have waiting or under way; beyond that
 * new ones are dropped and counted, so a dead receiver costs bounded memory
 * @param concurrency deliveries under way at once per target (1 keeps them in order)
 * @param shutdownGrace how long pending deliveries may take to finish at shutdown, once
 * the operations have ended or been abandoned, before each left is logged as undelivered;
 * keep the pod's {@code terminationGracePeriodSeconds} above the shutdown phases plus
 * this
 */
@ConfigurationProperties("unidler.webhooks")
public record WebhookProperties(@Nullable Path targetsFile, @DefaultValue("10s") Duration reload,
		@DefaultValue("5s") Duration timeout, @DefaultValue("3") int retries, @DefaultValue("1s") Duration firstBackoff,
		@DefaultValue("30s") Duration maxBackoff, @DefaultValue("1000") int queueCapacity,
		@DefaultValue("1") int concurrency, @DefaultValue("5s") Duration shutdownGrace) {

}
