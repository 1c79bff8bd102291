package io.asyncrpc.ca.device;

import io.asyncrpc.web.ApiException;
import org.springframework.http.HttpStatus;

/** No certificate with this serial belongs to a device of the caller's tenant. */
class CertificateNotFoundException extends ApiException {

  CertificateNotFoundException(String serial) {
    super(
        HttpStatus.NOT_FOUND,
        "certificate-not-found",
        "Certificate not found",
        "no certificate with serial '" + serial + "' in your tenant");
  }
}
