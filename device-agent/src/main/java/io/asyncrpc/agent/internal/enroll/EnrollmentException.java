package io.asyncrpc.agent.internal.enroll;

import java.io.IOException;

/** ca-service refused an enrollment, or answered something unusable; the message says which. */
public final class EnrollmentException extends IOException {

  private static final long serialVersionUID = 1L;

  /** With a message fit for the user. */
  public EnrollmentException(String message) {
    super(message);
  }
}
