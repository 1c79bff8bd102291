package io.asyncrpc.ca.broker;

import io.asyncrpc.web.ApiException;
import org.springframework.http.HttpStatus;

/** The broker's management API did not do what was asked; the request can be retried. */
public class BrokerUnavailableException extends ApiException {

  BrokerUnavailableException(String detail, Throwable cause) {
    super(HttpStatus.SERVICE_UNAVAILABLE, "broker-unavailable", "Broker unavailable", detail);
    initCause(cause);
  }
}
