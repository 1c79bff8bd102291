package io.asyncrpc.api.task;

import io.asyncrpc.web.ApiException;
import java.util.UUID;
import org.springframework.http.HttpStatus;

/** No task with this id exists for the client. */
class TaskNotFoundException extends ApiException {

  TaskNotFoundException(UUID id) {
    super(
        HttpStatus.NOT_FOUND, "task-not-found", "Task not found", "task " + id + " does not exist");
  }
}
