package io.asyncrpc.api.webhook;

import io.asyncrpc.web.ApiException;
import org.springframework.http.HttpStatus;

/** No delivery with this id to this webhook endpoint. */
class DeliveryNotFoundException extends ApiException {

  DeliveryNotFoundException(String id) {
    super(
        HttpStatus.NOT_FOUND,
        "delivery-not-found",
        "Delivery not found",
        "delivery '" + id + "' does not exist for this webhook");
  }
}
