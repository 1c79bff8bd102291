package io.asyncrpc.api.webhook;

import io.asyncrpc.web.ApiException;
import org.springframework.http.HttpStatus;

/** The tenant has as many endpoints as it may ({@code iot.webhooks.max-endpoints-per-tenant}). */
class WebhookLimitException extends ApiException {

  WebhookLimitException(int max) {
    super(
        HttpStatus.CONFLICT,
        "webhook-limit-reached",
        "Webhook limit reached",
        "the tenant has " + max + " webhook endpoints, the most it may have: delete one first");
  }
}
