package io.asyncrpc.api.device;

import io.asyncrpc.web.ApiException;
import org.springframework.http.HttpStatus;

/** A device with this id is already registered. */
class DeviceExistsException extends ApiException {

  DeviceExistsException(String id) {
    super(
        HttpStatus.CONFLICT,
        "device-exists",
        "Device exists",
        "device '" + id + "' is already registered");
  }
}
