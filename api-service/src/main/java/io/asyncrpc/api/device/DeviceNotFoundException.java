package io.asyncrpc.api.device;

import io.asyncrpc.web.ApiException;
import org.springframework.http.HttpStatus;

/** No device with this id is registered. */
class DeviceNotFoundException extends ApiException {

  DeviceNotFoundException(String id) {
    super(
        HttpStatus.NOT_FOUND,
        "device-not-found",
        "Device not found",
        "device '" + id + "' is not registered");
  }
}
