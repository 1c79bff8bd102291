package io.asyncrpc.api.device;

import io.asyncrpc.web.ApiException;
import org.springframework.http.HttpStatus;

/** A task is addressed to a device that is not registered. */
public class DeviceNotRegisteredException extends ApiException {

  public DeviceNotRegisteredException(String id) {
    super(
        HttpStatus.UNPROCESSABLE_CONTENT,
        "device-not-registered",
        "Device not registered",
        "device '" + id + "' is not registered; register it with POST /api/v1/devices first");
  }
}
