package io.asyncrpc.core.task;

import org.jspecify.annotations.Nullable;

/**
 * What a v2 device's result led to, and the next task locked for it to go with the commit.
 *
 * @param outcome the result's outcome
 * @param next the device's next task, locked for it, or null when none waits, the device holds one
 *     already, or the result was refused
 */
public record CompletedWithNext(ResultOutcome outcome, @Nullable ClaimedTask next) {}
