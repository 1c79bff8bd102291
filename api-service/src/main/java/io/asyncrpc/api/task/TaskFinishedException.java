package io.asyncrpc.api.task;

import io.asyncrpc.task.model.TaskStatus;
import io.asyncrpc.web.ApiException;
import java.util.UUID;
import org.springframework.http.HttpStatus;

/** The task already reached a final status, so it cannot be cancelled. */
class TaskFinishedException extends ApiException {

  TaskFinishedException(UUID id, TaskStatus status) {
    super(
        HttpStatus.CONFLICT,
        "task-finished",
        "Task finished",
        "task " + id + " is already " + status + " and cannot be cancelled");
  }
}
