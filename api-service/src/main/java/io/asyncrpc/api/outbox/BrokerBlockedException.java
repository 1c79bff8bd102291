package io.asyncrpc.api.outbox;

import io.asyncrpc.web.ApiException;
import org.springframework.http.HttpStatus;

/** RabbitMQ blocks publishing (a memory or disk alarm): writes that need the broker wait. */
class BrokerBlockedException extends ApiException {

  BrokerBlockedException(String reason) {
    super(
        HttpStatus.SERVICE_UNAVAILABLE,
        "service-unavailable",
        "Service unavailable",
        "the message broker accepts no messages for now (" + reason + "); retry later");
  }
}
