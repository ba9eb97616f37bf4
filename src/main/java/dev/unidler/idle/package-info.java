/**
 * Idling: the exact inverse of the wake, on request and on a schedule. An idle saves the
 * app's Service spec, marks its Deployment with the old idler's contract, sends the
 * Service's traffic to the unidler and scales the Deployment to zero; the wake undoes
 * each of these exactly.
 */
@NullMarked
package dev.unidler.idle;

import org.jspecify.annotations.NullMarked;
