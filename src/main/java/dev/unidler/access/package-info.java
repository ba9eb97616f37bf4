/**
 * Who may do what: API tokens from a mounted file, each limited to some apps and some
 * actions, and the opt-in by which an app allows actions at all. Knows nothing of HTTP
 * beyond the authenticated caller of a request.
 */
@NullMarked
package dev.unidler.access;

import org.jspecify.annotations.NullMarked;
