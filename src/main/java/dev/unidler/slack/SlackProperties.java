package dev.unidler.slack;

import java.nio.file.Path;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Slack slash commands ({@code unidler.slack.*}, {@code UNIDLER_SLACK_*}).
 *
 * @param signingSecretFile the file holding the Slack app's signing secret (a mounted
 * Secret); without it, or while it is missing, commands are off and their endpoint
 * answers {@code 404}. The secret is never a plain setting, so it never shows in the
 * environment or the logs.
 * @param usersFile the Slack users and what each may do (YAML, see the README); without
 * it every command is refused
 * @param reload how often the users file is looked at again
 * @param checkInInterval the shortest time between two posts about one command: the state
 * in between is coalesced to the latest
 * @param maxPosts posts to one command's {@code response_url} at most, the outcome
 * included (Slack accepts five in thirty minutes)
 * @param follow how long a command's operation is followed before its last post says it
 * still runs ({@code response_url} lasts thirty minutes)
 * @param timeout the longest one post to Slack may take, connection included
 * @param retries how often a post that got no answer or a {@code 5xx}/{@code 429} is
 * tried again
 * @param responseUrlPrefix what every {@code response_url} must start with: the unidler
 * posts nowhere else
 * @param maxBody the largest request body accepted
 * @param replayMemory signatures remembered to refuse a replayed request; beyond that,
 * new commands are refused until the oldest expire
 */
@ConfigurationProperties("unidler.slack")
public record SlackProperties(@Nullable Path signingSecretFile, @Nullable Path usersFile,
		@DefaultValue("10s") Duration reload, @DefaultValue("10s") Duration checkInInterval,
		@DefaultValue("5") int maxPosts, @DefaultValue("25m") Duration follow, @DefaultValue("5s") Duration timeout,
		@DefaultValue("2") int retries, @DefaultValue("https://hooks.slack.com/") String responseUrlPrefix,
		@DefaultValue("16KB") DataSize maxBody, @DefaultValue("10000") int replayMemory) {

}
