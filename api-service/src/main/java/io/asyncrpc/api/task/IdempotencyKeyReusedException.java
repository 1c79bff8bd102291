package io.asyncrpc.api.task;

import io.asyncrpc.web.ApiException;
import org.springframework.http.HttpStatus;

/** An Idempotency-Key was sent again with a different request body. */
class IdempotencyKeyReusedException extends ApiException {

  IdempotencyKeyReusedException(String key) {
    super(
        HttpStatus.CONFLICT,
        "idempotency-key-reused",
        "Idempotency key reused",
        "Idempotency-Key '"
            + key
            + "' was already used for a different request; use a new key for a new task");
  }
}
