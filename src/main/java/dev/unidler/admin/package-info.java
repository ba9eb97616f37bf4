/**
 * The admin surface, on a port of its own: the API that restarts apps (and, later, idles
 * them and shows the console), its security, and nothing that an app's host can reach.
 */
@NullMarked
package dev.unidler.admin;

import org.jspecify.annotations.NullMarked;
