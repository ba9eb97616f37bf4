/**
 * The only code that talks to Kubernetes: the client, its blocking calls kept off the
 * event loop, watches and strategic-merge patches.
 */
@NullMarked
package dev.unidler.kubernetes;

import org.jspecify.annotations.NullMarked;
