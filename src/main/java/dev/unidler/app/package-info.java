/**
 * The app model: how an app is found (its key), what the operations read of its
 * Deployment and Service, and the port they use to read and write the cluster.
 */
@NullMarked
package dev.unidler.app;

import org.jspecify.annotations.NullMarked;
