package io.asyncrpc.api.webhook;

import io.asyncrpc.web.ApiException;
import org.springframework.http.HttpStatus;

/** A delivery cannot be retried while its endpoint is disabled: nothing would send it. */
class WebhookDisabledException extends ApiException {

  WebhookDisabledException(String id) {
    super(
        HttpStatus.CONFLICT,
        "webhook-disabled",
        "Webhook disabled",
        "webhook '" + id + "' is disabled: enable it (PATCH enabled=true) before retrying");
  }
}
