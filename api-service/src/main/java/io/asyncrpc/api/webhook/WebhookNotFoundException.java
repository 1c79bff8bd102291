package io.asyncrpc.api.webhook;

import io.asyncrpc.web.ApiException;
import org.springframework.http.HttpStatus;

/** No webhook endpoint with this id in the caller's tenant. */
class WebhookNotFoundException extends ApiException {

  WebhookNotFoundException(String id) {
    super(
        HttpStatus.NOT_FOUND,
        "webhook-not-found",
        "Webhook not found",
        "webhook '" + id + "' does not exist");
  }
}
