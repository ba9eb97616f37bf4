package dev.unidler.operation;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the unidler's replicas keep out of each other's way
 * ({@code unidler.coordination.*}).
 *
 * @param namespace where the Leases live: the unidler's own namespace ({@code deploy/}
 * sets it from the pod's)
 * @param leaseDuration how long a Lease stays held after its holder last renewed it; a
 * replica that dies mid-operation holds the app this long at most
 * @param poll how often a wake waiting for another replica's operation looks again
 * @param identity this replica's name in the Leases it holds; the host name and a random
 * suffix when unset
 */
@ConfigurationProperties("unidler.coordination")
public record CoordinationProperties(@DefaultValue("default") String namespace,
		@DefaultValue("15s") Duration leaseDuration, @DefaultValue("500ms") Duration poll, @Nullable String identity) {

}
