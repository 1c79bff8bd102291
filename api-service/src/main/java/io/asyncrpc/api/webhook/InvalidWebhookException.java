package io.asyncrpc.api.webhook;

import io.asyncrpc.web.ApiException;
import io.asyncrpc.web.FieldProblem;
import java.util.List;
import org.springframework.http.HttpStatus;

/**
 * A webhook field bean validation cannot judge: an unknown event type, or a URL the target policy
 * refuses. The same problem as any other invalid field.
 */
class InvalidWebhookException extends ApiException {

  InvalidWebhookException(String field, String message) {
    super(
        HttpStatus.BAD_REQUEST,
        "validation-failed",
        "Validation failed",
        "invalid request: '" + field + "' " + message,
        List.of(new FieldProblem(field, message)));
  }
}
