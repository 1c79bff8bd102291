package io.asyncrpc.api.stream;

import io.asyncrpc.web.ApiException;
import org.springframework.http.HttpStatus;

/** This instance serves as many streams as it is set to, or is not following the log yet. */
class StreamsBusyException extends ApiException {

  StreamsBusyException(String why) {
    super(HttpStatus.SERVICE_UNAVAILABLE, "service-unavailable", "Service unavailable", why);
  }
}
