package io.asyncrpc.ca.enrollment;

import io.asyncrpc.web.ApiException;
import org.springframework.http.HttpStatus;

/** The enrollment token cannot be used: unknown, expired, or already used. */
class EnrollmentTokenException extends ApiException {

  private EnrollmentTokenException(HttpStatus status, String slug, String title, String detail) {
    super(status, slug, title, detail);
  }

  static EnrollmentTokenException unknown() {
    return new EnrollmentTokenException(
        HttpStatus.UNAUTHORIZED,
        "invalid-enrollment-token",
        "Invalid enrollment token",
        "the enrollment token is not known");
  }

  static EnrollmentTokenException expired() {
    return new EnrollmentTokenException(
        HttpStatus.UNAUTHORIZED,
        "enrollment-token-expired",
        "Enrollment token expired",
        "the enrollment token has expired; ask for a new one");
  }

  static EnrollmentTokenException used() {
    return new EnrollmentTokenException(
        HttpStatus.CONFLICT,
        "enrollment-token-used",
        "Enrollment token used",
        "the enrollment token was used already; each token issues one certificate");
  }
}
