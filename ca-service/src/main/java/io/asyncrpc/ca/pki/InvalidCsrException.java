package io.asyncrpc.ca.pki;

import io.asyncrpc.web.ApiException;
import org.springframework.http.HttpStatus;

/** The CSR is not a PEM PKCS#10 request, or its signature does not verify. */
public class InvalidCsrException extends ApiException {

  InvalidCsrException(String detail) {
    super(HttpStatus.BAD_REQUEST, "invalid-csr", "Invalid certificate signing request", detail);
  }
}
