package io.asyncrpc.task.model;

import org.jspecify.annotations.Nullable;

/**
 * One allowed change of a task's status and what causes it.
 *
 * @param from the status before; {@code null} for the creation of a task
 * @param to the status after
 * @param cause what triggers it, stored with the task event
 */
public record TaskTransition(@Nullable TaskStatus from, TaskStatus to, Cause cause) {

  /** What makes a task change its status; stored in {@code task_events.cause}. */
  public enum Cause {
    CREATED,
    ACKNOWLEDGED,
    CLAIMED,
    PUSHED,
    UNDELIVERED,
    RESULT_OK,
    RESULT_FAILED,
    DEADLINE_PASSED,
    LEASE_PASSED,
    RETRIES_EXHAUSTED,
    CANCELLED,
    /** An online-only task's device is offline: it ends UNREACHABLE instead of waiting. */
    DEVICE_OFFLINE,
    /** The device holding the task reported progress: LOCKED stays LOCKED, the lease extended. */
    PROGRESS,
    /**
     * The v2 device that held a cancelled task answered the cancel: CANCELLED stays CANCELLED, the
     * answer recorded once.
     */
    CANCEL_CONFIRMED
  }
}
