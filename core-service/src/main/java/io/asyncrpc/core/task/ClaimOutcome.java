package io.asyncrpc.core.task;

/** What a device's request for a task led to. */
public sealed interface ClaimOutcome {

  /** The task is the device's, with a lease. */
  record Claimed(ClaimedTask task) implements ClaimOutcome {}

  /** The device's FIFO has nothing to hand out. */
  record NoTask() implements ClaimOutcome {}

  /** The requested task cannot be handed out. */
  record Refused(Refusal refusal) implements ClaimOutcome {}
}
