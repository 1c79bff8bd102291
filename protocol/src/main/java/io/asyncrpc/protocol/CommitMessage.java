package io.asyncrpc.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * JSON payload of {@code srv/<SN>/cmt}: the result of a task is stored.
 *
 * @param taskId the task
 * @param resultId the stored result, also in the user property {@code result_id}
 * @param status the task's final status, {@code DONE} or {@code FAILED}
 * @param next v2 only: the device's next task, already locked for it, or absent when none waits (or
 *     in v1, which never carries one)
 */
public record CommitMessage(
    UUID taskId,
    UUID resultId,
    String status,
    @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable PushedTask next) {

  /** A v1 commit, or a v2 commit with no next task. */
  public CommitMessage(UUID taskId, UUID resultId, String status) {
    this(taskId, resultId, status, null);
  }
}
