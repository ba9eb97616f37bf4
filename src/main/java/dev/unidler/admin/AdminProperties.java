package dev.unidler.admin;

import java.net.InetAddress;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The admin surface: operations (restart, and later idle and the console) on a port of
 * its own, never through an app's host.
 *
 * @param port the admin port ({@code UNIDLER_ADMIN_PORT}); {@code 0} picks a free one
 * @param address the address it listens on; every interface when unset
 */
@ConfigurationProperties("unidler.admin")
public record AdminProperties(@DefaultValue("9090") int port, @Nullable InetAddress address) {

}
