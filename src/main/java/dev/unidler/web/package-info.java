/**
 * HTTP: the waiting page, the Server-Sent Events stream of a wake, health. Translates
 * between requests and the wake; knows nothing of Kubernetes.
 */
@NullMarked
package dev.unidler.web;

import org.jspecify.annotations.NullMarked;
