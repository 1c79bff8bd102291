package io.asyncrpc.api.task;

import io.asyncrpc.protocol.ProtocolLimits;
import io.asyncrpc.web.ApiException;
import io.asyncrpc.web.FieldProblem;
import java.util.List;
import org.springframework.http.HttpStatus;

/** The task payload exceeds what a device accepts. */
class PayloadTooLargeException extends ApiException {

  PayloadTooLargeException(int size) {
    super(
        HttpStatus.CONTENT_TOO_LARGE,
        "payload-too-large",
        "Payload too large",
        "payload is "
            + size
            + " bytes serialized; at most "
            + ProtocolLimits.MAX_PAYLOAD_BYTES
            + " are allowed",
        List.of(
            new FieldProblem(
                "payload", "must be at most " + ProtocolLimits.MAX_PAYLOAD_BYTES + " bytes")));
  }
}
