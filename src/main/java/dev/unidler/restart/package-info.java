/**
 * The restart of an app, as {@code kubectl rollout restart} does it and followed to the
 * end as {@code kubectl rollout status} does: finding the workload, its steps, and the
 * coalescing of restarts asked for together.
 */
@NullMarked
package dev.unidler.restart;

import org.jspecify.annotations.NullMarked;
