package dev.unidler.access;

import java.nio.file.Path;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may do what on the admin surface ({@code unidler.access.*},
 * {@code UNIDLER_ACCESS_*}).
 *
 * @param tokensFile the API tokens (YAML, see the README); typically a Kubernetes Secret
 * mounted into the pod. Without it no call to the admin API is authenticated.
 * @param allowlistFile apps opted in by name, in the restart console's format
 * ({@code services: [{kind, name, namespace}]})
 * @param optIn the label or annotation by which an app opts in to actions, a
 * comma-separated list such as {@code restart,idle}
 * @param reload how often the files are looked at again: a mounted Secret changes in
 * place
 * @param failuresBeforeDelay failed authentications from one client address, within a
 * minute, before each further one is answered slowly
 */
@ConfigurationProperties("unidler.access")
public record AccessProperties(@Nullable Path tokensFile, @Nullable Path allowlistFile,
		@DefaultValue("unidler.dev/allow") String optIn, @DefaultValue("10s") Duration reload,
		@DefaultValue("5") int failuresBeforeDelay) {

}
