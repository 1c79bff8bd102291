package io.asyncrpc.core.task;

/** What a device's acknowledgement of a trigger led to. */
public sealed interface AckOutcome {

  /** The task went from QUEUED to PENDING. */
  record Acknowledged() implements AckOutcome {}

  /** The task is the device's but is past QUEUED: a repeated or late ack, nothing to do. */
  record Unchanged() implements AckOutcome {}

  /** The task is not the device's. */
  record Refused(Refusal refusal) implements AckOutcome {}
}
