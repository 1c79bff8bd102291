package io.asyncrpc.ca.pki;

import java.math.BigInteger;
import java.time.Instant;

/**
 * One entry of the CRL.
 *
 * @param serial the certificate's serial number
 * @param revokedAt when it was revoked
 * @param reason why
 */
public record RevokedCertificate(BigInteger serial, Instant revokedAt, RevocationReason reason) {}
