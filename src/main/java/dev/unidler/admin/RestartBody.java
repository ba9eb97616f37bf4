package dev.unidler.admin;

import org.jspecify.annotations.Nullable;

/**
 * The body of a restart request, as the restarter took it.
 *
 * @param host the app's host ({@code POST /restart} only)
 * @param reason why, recorded on the workload verbatim
 */
record RestartBody(@Nullable String host, @Nullable String reason) {

}
