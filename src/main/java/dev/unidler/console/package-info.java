/**
 * The operator console, on the admin port only: every app the caller may see with its
 * live state, and the wake, idle, restart and repair actions, each through the admin
 * API's own endpoints.
 */
@NullMarked
package dev.unidler.console;

import org.jspecify.annotations.NullMarked;
