package io.asyncrpc.ca.device;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A certificate as the admin API shows it.
 *
 * @param serial lower-case hex serial
 * @param deviceId the device
 * @param subject subject DN
 * @param status {@code VALID} or {@code REVOKED} (an expired one stays {@code VALID}: compare
 *     {@code not_after})
 * @param notBefore start of validity
 * @param notAfter end of validity
 * @param keyFromServer whether ca-service generated the key (bundle)
 * @param issuedAt when it was issued
 * @param revokedAt when it was revoked, or null
 * @param revocationReason why, or null
 */
record CertificateView(
    String serial,
    String deviceId,
    String subject,
    String status,
    Instant notBefore,
    Instant notAfter,
    boolean keyFromServer,
    Instant issuedAt,
    @Nullable Instant revokedAt,
    @Nullable String revocationReason) {

  static CertificateView of(CertificateRecord r) {
    return new CertificateView(
        r.serial(),
        r.deviceId(),
        r.subject(),
        r.status(),
        r.notBefore(),
        r.notAfter(),
        r.keyFromServer(),
        r.issuedAt(),
        r.revokedAt(),
        r.revocationReason());
  }
}
