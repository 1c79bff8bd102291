package io.asyncrpc.ca.device;

import io.asyncrpc.web.ApiException;
import org.springframework.http.HttpStatus;

/** No device with this id in the caller's tenant (another tenant's device looks the same). */
public class DeviceNotFoundException extends ApiException {

  DeviceNotFoundException(String id) {
    super(
        HttpStatus.NOT_FOUND,
        "device-not-found",
        "Device not found",
        "no device '" + id + "' is registered in your tenant");
  }
}
