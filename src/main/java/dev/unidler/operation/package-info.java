/**
 * The engine every operation on an app runs on: its events, failures and progress, and
 * one shared, replayed run per app that every caller follows.
 */
@NullMarked
package dev.unidler.operation;

import org.jspecify.annotations.NullMarked;
