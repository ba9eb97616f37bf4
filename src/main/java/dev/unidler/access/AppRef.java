package dev.unidler.access;

import org.jspecify.annotations.Nullable;

/**
 * An app as rules about who may do what see it.
 *
 * @param kind {@code Deployment} or {@code StatefulSet}
 * @param namespace its namespace
 * @param name its workload's name
 * @param host the host it serves (its lookup label's value), when known
 */
public record AppRef(String kind, String namespace, String name, @Nullable String host) {

}
