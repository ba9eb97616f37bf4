package dev.unidler.fleet;

import java.time.Instant;

import dev.unidler.operation.FailureReason;
import dev.unidler.operation.OperationKind;
import org.jspecify.annotations.Nullable;

/**
 * How one operation on an app ended.
 *
 * @param kind what it was
 * @param succeeded whether it did what was asked
 * @param message its last words, for people
 * @param failure why it failed; {@code null} when it succeeded
 * @param elapsedMillis how long it took
 * @param at when it ended
 */
public record Outcome(OperationKind kind, boolean succeeded, String message, @Nullable FailureReason failure,
		long elapsedMillis, Instant at) {

}
