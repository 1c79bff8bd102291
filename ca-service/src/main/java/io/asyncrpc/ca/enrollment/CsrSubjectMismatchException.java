package io.asyncrpc.ca.enrollment;

import io.asyncrpc.web.ApiException;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;

/** The CSR asks for another subject than the device the token was made for. */
class CsrSubjectMismatchException extends ApiException {

  CsrSubjectMismatchException(@Nullable String commonName) {
    super(
        HttpStatus.BAD_REQUEST,
        "csr-subject-mismatch",
        "CSR subject mismatch",
        "the CSR's subject must be exactly one CN equal to the device id of the token; got "
            + (commonName == null ? "no single CN" : "CN=" + commonName));
  }
}
