package io.asyncrpc.ca.pki;

import io.asyncrpc.web.ApiException;
import org.springframework.http.HttpStatus;

/** The CSR's key is of a type or size the CA does not certify. */
public class WeakKeyException extends ApiException {

  WeakKeyException(String detail) {
    super(HttpStatus.BAD_REQUEST, "weak-key", "Key not accepted", detail);
  }
}
