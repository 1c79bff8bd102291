package io.asyncrpc.reliability.history;

import io.asyncrpc.task.model.TaskStatus;
import io.asyncrpc.task.model.TaskTransition.Cause;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One row of {@code task_events}: a transition the database recorded.
 *
 * @param id the event's id, increasing in commit order per task
 * @param taskId the task
 * @param from the status before, null for the creation
 * @param to the status after
 * @param cause why
 * @param attempt the task's attempts after the transition
 * @param at when
 */
public record TaskEventRow(
    long id,
    UUID taskId,
    @Nullable TaskStatus from,
    TaskStatus to,
    Cause cause,
    int attempt,
    Instant at) {

  @Override
  public String toString() {
    return "#%d %s %s -> %s (%s, attempt %d)".formatted(id, at, from, to, cause, attempt);
  }
}
