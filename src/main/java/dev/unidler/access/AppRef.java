package dev.unidler.access;

import org.jspecify.annotations.Nullable;

/** TEMPORARY contract stand-in until the access layer lands. */
public record AppRef(String kind, String namespace, String name, @Nullable String host) {

}
