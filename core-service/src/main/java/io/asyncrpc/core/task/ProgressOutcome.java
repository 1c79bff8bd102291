package io.asyncrpc.core.task;

import java.time.Instant;

/** What a device's progress report led to. */
public sealed interface ProgressOutcome {

  /**
   * Stored: the task's progress columns, its event and the tenant's {@code task.progress} event.
   *
   * @param leaseExpires the lease after it was extended (never past the deadline)
   */
  record Recorded(Instant leaseExpires) implements ProgressOutcome {}

  /** Not the device's task, or one it does not hold; nothing changed. */
  record Refused(Refusal refusal) implements ProgressOutcome {}
}
