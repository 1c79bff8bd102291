package io.asyncrpc.ca.enrollment;

import io.asyncrpc.ca.device.DeviceIdentities;
import io.asyncrpc.ca.enrollment.EnrollmentTokenRepository.StoredToken;
import io.asyncrpc.ca.pki.CertificateRequest;
import io.asyncrpc.ca.pki.DeviceCa;
import io.asyncrpc.ca.pki.IssuedCertificate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Trades an enrollment token and a CSR for a certificate. The token is consumed in the same
 * transaction that records the certificate, and only then: a refused request (bad CSR, weak key,
 * wrong subject, broker down) leaves it usable until it expires, so a device with a bug can retry
 * after the fix. That is safe because the token, not the CSR, is the secret: whoever could retry
 * could as well have sent a correct CSR.
 */
@Service
class Enrollment {

  private final EnrollmentTokenRepository tokens;
  private final DeviceIdentities identities;
  private final DeviceCa ca;

  Enrollment(EnrollmentTokenRepository tokens, DeviceIdentities identities, DeviceCa ca) {
    this.tokens = tokens;
    this.identities = identities;
    this.ca = ca;
  }

  @Transactional
  EnrollmentResult enroll(String token, String csrPem) {
    CertificateRequest csr = CertificateRequest.parse(csrPem);
    String hash = EnrollmentTokens.hash(token);
    StoredToken stored = tokens.lock(hash).orElseThrow(EnrollmentTokenException::unknown);
    if (stored.used()) {
      throw EnrollmentTokenException.used();
    }
    if (stored.expired()) {
      throw EnrollmentTokenException.expired();
    }
    if (!stored.deviceId().equals(csr.commonName())) {
      throw new CsrSubjectMismatchException(csr.commonName());
    }
    tokens.markUsed(hash);
    IssuedCertificate issued = identities.issue(stored.deviceId(), csr.publicKey(), false);
    return new EnrollmentResult(issued.pem(), ca.chainPem(), issued.serial(), issued.notAfter());
  }
}
