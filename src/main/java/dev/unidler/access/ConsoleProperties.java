package dev.unidler.access;

import java.nio.file.Path;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How people sign in to the console ({@code unidler.console.*},
 * {@code UNIDLER_CONSOLE_*}).
 *
 * @param sessionTimeout how long a console session lasts without a request; a session
 * lives in the memory of the replica that signed it in
 * @param maxSessions sessions kept at most; past it, the oldest are signed out
 * @param userHeader the header an authenticating proxy in front puts the signed-in user
 * in (oauth2-proxy's {@code X-Forwarded-User}); off when unset. Only set it when every
 * request to the admin port passes through that proxy, which must overwrite the header
 * @param usersFile the users the proxy signs in and what each may do (YAML: {@code users:
 * [{name, operations, apps}]}, {@code name: "*"} for everyone); without it a signed-in
 * user may do nothing
 */
@ConfigurationProperties("unidler.console")
public record ConsoleProperties(@DefaultValue("1h") Duration sessionTimeout, @DefaultValue("10000") int maxSessions,
		@Nullable String userHeader, @Nullable Path usersFile) {

}
