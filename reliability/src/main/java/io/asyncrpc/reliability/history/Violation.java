package io.asyncrpc.reliability.history;

import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A broken invariant.
 *
 * @param kind which invariant
 * @param taskId the task it concerns, null for a run-wide violation
 * @param message what was seen
 */
public record Violation(Kind kind, @Nullable UUID taskId, String message) {

  /** The invariants of a run. */
  public enum Kind {
    /** A task answered {@code 202} does not exist. */
    ACCEPTED_TASK_MISSING,
    /** A task is neither terminal nor legitimately waiting (deadline or lease long passed). */
    STUCK,
    /** An event sequence is not a path of the allowed state machine, or ends elsewhere. */
    ILLEGAL_TRANSITION,
    /** A task was completed (DONE or FAILED) more than once, or committed with two results. */
    COMPLETED_TWICE,
    /** A device received a {@code cmt} whose result the database does not hold. */
    RESULT_LOST,
    /** A task was handed to two device requests at once, or to another device. */
    DOUBLE_HOLD,
    /** A task was handed out after its deadline. */
    DELIVERED_AFTER_DEADLINE,
    /** The outbox still holds events after recovery. */
    OUTBOX_NOT_DRAINED,
    /**
     * A finished task was not told exactly once in the tenant event log ({@code task.finished}), or
     * an unfinished one was told: what the event stream and webhooks deliver would be wrong.
     */
    FINISHED_NOT_TOLD_ONCE,
    /**
     * A fleet job gave a device two executions at once, more than its retries allow, or one the job
     * does not target; or a target's current execution or the job's count is not what its
     * executions say.
     */
    JOB_EXECUTION_DOUBLED,
    /**
     * A fleet job is not COMPLETED, ABORTED or CANCELLED after the drain, or was completed with a
     * target that never got an execution.
     */
    JOB_NOT_FINISHED,
    /**
     * A finished task's {@code task.finished} did not reach the suite's webhook exactly once: no
     * delivery, two, or one that never got a 2xx.
     */
    FINISHED_NOT_DELIVERED_ONCE
  }

  @Override
  public String toString() {
    return kind + (taskId == null ? "" : " task " + taskId) + ": " + message;
  }
}
