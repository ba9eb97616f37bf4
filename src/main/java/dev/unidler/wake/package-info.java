/**
 * The wake of an idled app: finding it, the ordered steps that bring it back, and the one
 * shared run per app that every subscriber follows.
 */
@NullMarked
package dev.unidler.wake;

import org.jspecify.annotations.NullMarked;
