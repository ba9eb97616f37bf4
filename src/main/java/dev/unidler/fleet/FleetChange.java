package dev.unidler.fleet;

import org.jspecify.annotations.Nullable;

/**
 * One app changed: its new status, or gone.
 *
 * @param id the app's {@link AppStatus#id()}
 * @param status what it is now; {@code null} when it is gone (deleted, or no longer
 * labelled)
 */
public record FleetChange(String id, @Nullable AppStatus status) {

}
