/**
 * Prometheus metrics of what the unidler does: operations and their outcomes, wake
 * phases, waiting pages, Kubernetes API requests, and apps by state. Label values come
 * from small fixed sets (kinds, outcomes, reasons, step names, verbs, resources, codes):
 * never a host, an app or a namespace, so the number of series does not grow with the
 * apps. Served on the admin port only ({@link MetricsHandler}).
 */
@NullMarked
package dev.unidler.metrics;

import org.jspecify.annotations.NullMarked;
