package io.asyncrpc.ca.device;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A row of {@code certificates}: one certificate issued to a device.
 *
 * @param serial lower-case hex serial
 * @param deviceId the device (the certificate's CN)
 * @param subject the subject DN
 * @param status {@code VALID} or {@code REVOKED}
 * @param notBefore start of validity
 * @param notAfter end of validity
 * @param keyFromServer whether ca-service made the key (a bundle) rather than the device (a CSR)
 * @param issuedAt when it was issued
 * @param revokedAt when it was revoked, or null
 * @param revocationReason why, or null
 */
public record CertificateRecord(
    String serial,
    String deviceId,
    String subject,
    String status,
    Instant notBefore,
    Instant notAfter,
    boolean keyFromServer,
    Instant issuedAt,
    @Nullable Instant revokedAt,
    @Nullable String revocationReason) {}
