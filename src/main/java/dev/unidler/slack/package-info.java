/**
 * Slack slash commands on the admin surface: {@code /unidler wake|idle|restart|status}.
 * Every request is verified with the app's signing secret before it is read; a Slack user
 * may do what the users file grants, with the rules of API tokens; the operation is
 * followed through its events and its progress and outcome posted back to the command's
 * {@code response_url}.
 */
@NullMarked
package dev.unidler.slack;

import org.jspecify.annotations.NullMarked;
