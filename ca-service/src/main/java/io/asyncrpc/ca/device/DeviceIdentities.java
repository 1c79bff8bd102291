package io.asyncrpc.ca.device;

import io.asyncrpc.ca.broker.BrokerAccess;
import io.asyncrpc.ca.pki.CertificateIssuer;
import io.asyncrpc.ca.pki.IssuedCertificate;
import io.asyncrpc.ca.pki.RevocationReason;
import java.security.PublicKey;
import java.util.List;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The life of a device's identity: a certificate is issued, recorded and backed by broker access; a
 * revoked certificate is listed in the CRL and its connections are closed at once.
 */
@Service
public class DeviceIdentities {

  private final CertificateIssuer issuer;
  private final CertificateRepository certificates;
  private final BrokerAccess broker;
  private final CrlService crl;

  DeviceIdentities(
      CertificateIssuer issuer,
      CertificateRepository certificates,
      BrokerAccess broker,
      CrlService crl) {
    this.issuer = issuer;
    this.certificates = certificates;
    this.broker = broker;
    this.crl = crl;
  }

  /**
   * Signs a certificate for the device's key, records it and grants the device its broker access,
   * in the caller's transaction: when the broker refuses, nothing is recorded (and an enrollment
   * token stays unused).
   */
  @Transactional(propagation = Propagation.MANDATORY)
  public IssuedCertificate issue(String deviceId, PublicKey key, boolean keyFromServer) {
    IssuedCertificate issued = issuer.issue(deviceId, key);
    certificates.insert(deviceId, issued, keyFromServer);
    broker.grant(deviceId);
    return issued;
  }

  /** The device's certificates, newest first. */
  public List<CertificateRecord> certificates(String deviceId) {
    return certificates.byDevice(deviceId);
  }

  /**
   * Revokes a certificate of the tenant: recorded, published in a new CRL, and the device's live
   * connections closed. The broker user is deleted too unless the device still holds another valid
   * certificate (a rotation); the broker's CRL check then refuses the revoked one. Repeating it is
   * harmless and finishes a revocation whose broker step failed.
   */
  public CertificateRecord revoke(String serial, String tenant, RevocationReason reason) {
    CertificateRecord found =
        certificates
            .findInTenant(serial, tenant)
            .orElseThrow(() -> new CertificateNotFoundException(serial));
    certificates.revoke(serial, reason);
    crl.refresh();
    if (certificates.hasUsableCertificate(found.deviceId())) {
      broker.closeConnections(found.deviceId());
    } else {
      broker.withdraw(found.deviceId());
    }
    return certificates.findInTenant(serial, tenant).orElseThrow();
  }
}
