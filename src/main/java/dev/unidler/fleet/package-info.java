/**
 * The fleet: every app the unidler manages with its state (awake, idled, waking, idling,
 * restarting, failed, drifted, stopped), kept up to date from the informer cache and the
 * operations, for the console and for gauges of apps by state.
 */
@NullMarked
package dev.unidler.fleet;

import org.jspecify.annotations.NullMarked;
