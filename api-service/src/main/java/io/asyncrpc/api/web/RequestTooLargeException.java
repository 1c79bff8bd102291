package io.asyncrpc.api.web;

import io.asyncrpc.web.ApiException;
import java.util.List;
import org.springframework.http.HttpStatus;

/** The request body exceeds the service's size limit; it is refused before it is parsed. */
class RequestTooLargeException extends ApiException {

  RequestTooLargeException(long limit) {
    super(
        HttpStatus.CONTENT_TOO_LARGE,
        "request-too-large",
        "Request too large",
        "the request body exceeds " + limit + " bytes",
        List.of());
  }
}
