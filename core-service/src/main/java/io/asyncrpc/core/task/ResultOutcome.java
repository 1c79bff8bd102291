package io.asyncrpc.core.task;

/** What a device's result led to. */
public sealed interface ResultOutcome {

  /** The result is stored (now, or by an earlier identical message). */
  record Committed(Commit commit) implements ResultOutcome {}

  /** The result was not taken. */
  record Refused(Refusal refusal) implements ResultOutcome {}
}
