package io.asyncrpc.api.task;

import io.asyncrpc.web.ApiException;
import org.springframework.http.HttpStatus;

/** The group commit takes no more tasks for now: its queue is full, or the service stops. */
class WriterBusyException extends ApiException {

  WriterBusyException(boolean stopping) {
    super(
        HttpStatus.SERVICE_UNAVAILABLE,
        "service-unavailable",
        "Service unavailable",
        stopping
            ? "the service is shutting down; retry later"
            : "too many tasks are waiting to be written; retry later");
  }
}
