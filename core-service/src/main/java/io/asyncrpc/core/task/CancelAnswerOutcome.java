package io.asyncrpc.core.task;

/** What a device's answer to a cancel ({@code cna}) led to; it is never answered when taken. */
public sealed interface CancelAnswerOutcome {

  /** The first answer: the confirmation and its task event are stored. */
  record Recorded() implements CancelAnswerOutcome {}

  /** The cancel was confirmed already; nothing changed. */
  record Repeated() implements CancelAnswerOutcome {}

  /** Not the device's task, or a task that was not cancelled; nothing changed. */
  record Refused(Refusal refusal) implements CancelAnswerOutcome {}
}
