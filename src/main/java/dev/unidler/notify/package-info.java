/**
 * Webhooks: every operation's start, steps and end, posted as signed JSON (or a Slack
 * incoming-webhook message) to the targets of a mounted file, from bounded queues that
 * never hold an operation up.
 */
@NullMarked
package dev.unidler.notify;

import org.jspecify.annotations.NullMarked;
