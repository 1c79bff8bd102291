package io.asyncrpc.ca.enrollment;

import jakarta.validation.constraints.NotBlank;

/**
 * A device's enrollment.
 *
 * @param token the one-time enrollment token
 * @param csr PEM PKCS#10 certificate signing request, subject {@code CN=<device id>}
 */
record EnrollmentRequest(@NotBlank String token, @NotBlank String csr) {}
