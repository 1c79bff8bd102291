package io.asyncrpc.api.task;

import io.asyncrpc.task.model.TaskStatus;

/**
 * The outcome of a create request.
 *
 * @param task the task
 * @param replayed true when an earlier request with the same Idempotency-Key created it
 */
record CreatedTask(TaskView task, boolean replayed) {

  /**
   * Whether the task is finished as UNREACHABLE (online-only, its device offline) instead of
   * queued: the answer is then {@code 200} with the finished task rather than {@code 202}.
   */
  boolean unreachable() {
    return task.status() == TaskStatus.UNREACHABLE;
  }
}
