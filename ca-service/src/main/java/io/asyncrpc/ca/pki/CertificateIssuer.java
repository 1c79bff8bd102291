package io.asyncrpc.ca.pki;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Signs device certificates with the device CA: subject {@code CN=<device id>}, a random 128-bit
 * serial, TLS client authentication only, and the CRL distribution point.
 */
@Component
public class CertificateIssuer {

  /** Back-dating of notBefore, so a device whose clock is a little behind accepts it at once. */
  static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

  private final DeviceCa ca;
  private final PkiProperties properties;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  @Autowired
  public CertificateIssuer(DeviceCa ca, PkiProperties properties) {
    this(ca, properties, Clock.systemUTC());
  }

  CertificateIssuer(DeviceCa ca, PkiProperties properties, Clock clock) {
    this.ca = ca;
    this.properties = properties;
    this.clock = clock;
  }

  /** A certificate for {@code deviceId}'s key; the id must already be a valid device id. */
  public IssuedCertificate issue(String deviceId, PublicKey key) {
    Instant now = clock.instant();
    Instant notAfter = now.plus(properties.certificateValidity());
    Instant caNotAfter = ca.certificate().getNotAfter().toInstant();
    if (notAfter.isAfter(caNotAfter)) {
      // A certificate cannot outlive its issuer in any verifier that checks the whole chain.
      notAfter = caNotAfter;
    }
    X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, deviceId).build();
    try {
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
                  ca.certificate(),
                  newSerial(),
                  Date.from(now.minus(CLOCK_SKEW)),
                  Date.from(notAfter),
                  subject,
                  key)
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
              .addExtension(Extension.keyUsage, true, keyUsage(key))
              .addExtension(
                  Extension.extendedKeyUsage,
                  false,
                  new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth))
              // The broker binds the MQTT client id to this first DNS name
              // (mqtt.ssl_cert_client_id_from = subject_alternative_name), so it must be the id.
              .addExtension(
                  Extension.subjectAlternativeName,
                  false,
                  new GeneralNames(new GeneralName(GeneralName.dNSName, deviceId)))
              .addExtension(
                  Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(key))
              .addExtension(Extension.authorityKeyIdentifier, false, ca.authorityKeyIdentifier())
              .addExtension(Extension.cRLDistributionPoints, false, crlDistributionPoint());
      X509Certificate certificate =
          new JcaX509CertificateConverter()
              .getCertificate(
                  builder.build(
                      new JcaContentSignerBuilder(ca.signatureAlgorithm()).build(ca.key())));
      return new IssuedCertificate(certificate, Pem.encode(certificate));
    } catch (GeneralSecurityException | OperatorCreationException | CertIOException e) {
      throw new IllegalStateException("signing a certificate for " + deviceId + " failed", e);
    }
  }

  /** RFC 5280: positive, at most 20 octets; 128 random bits make collisions irrelevant. */
  private BigInteger newSerial() {
    BigInteger serial;
    do {
      serial = new BigInteger(128, random);
    } while (serial.signum() == 0);
    return serial;
  }

  /** RSA keys may also encipher (RSA key exchange); EC keys only sign (ECDHE). */
  private static KeyUsage keyUsage(PublicKey key) {
    return key instanceof RSAPublicKey
        ? new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment)
        : new KeyUsage(KeyUsage.digitalSignature);
  }

  private CRLDistPoint crlDistributionPoint() {
    GeneralName url =
        new GeneralName(GeneralName.uniformResourceIdentifier, properties.crlUrl().toString());
    return new CRLDistPoint(
        new DistributionPoint[] {
          new DistributionPoint(new DistributionPointName(new GeneralNames(url)), null, null)
        });
  }
}
