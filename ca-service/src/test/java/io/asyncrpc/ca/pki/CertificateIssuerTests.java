package io.asyncrpc.ca.pki;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncrpc.ca.TestPki;
import java.net.URI;
import java.security.KeyPair;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXCertPathValidatorResult;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Tests for {@link CertificateIssuer}: what a device certificate contains. */
class CertificateIssuerTests {

  private static final URI CRL_URL = URI.create("http://ca.example.test/crl");

  @ParameterizedTest
  @EnumSource(TestPki.CaKey.class)
  void issuesAClientCertificateThatVerifiesAgainstTheRoot(TestPki.CaKey caKey) throws Exception {
    TestPki pki = TestPki.create(caKey, Duration.ofDays(3650));
    CertificateIssuer issuer = issuer(pki, Duration.ofDays(365));
    KeyPair device = TestPki.ecKeyPair("secp256r1");

    IssuedCertificate issued = issuer.issue("SN-0001", device.getPublic());
    X509Certificate cert = issued.certificate();

    assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=SN-0001");
    assertThat(issued.subject()).isEqualTo("CN=SN-0001");
    assertThat(cert.getPublicKey()).isEqualTo(device.getPublic());
    assertThat(cert.getIssuerX500Principal()).isEqualTo(pki.deviceCa().getSubjectX500Principal());
    assertThat(cert.getSerialNumber().signum()).isPositive();
    assertThat(cert.getSerialNumber().bitLength()).isLessThanOrEqualTo(128);
    assertThat(issued.serial()).matches("[0-9a-f]{1,32}");
    // basicConstraints CA:false, critical
    assertThat(cert.getBasicConstraints()).isEqualTo(-1);
    assertThat(cert.getCriticalExtensionOIDs())
        .contains(Extension.basicConstraints.getId(), Extension.keyUsage.getId());
    // keyUsage digitalSignature only for an EC key
    assertThat(cert.getKeyUsage())
        .containsExactly(true, false, false, false, false, false, false, false, false);
    assertThat(cert.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
    assertThat(subjectKeyId(cert))
        .isEqualTo(
            new JcaX509ExtensionUtils()
                .createSubjectKeyIdentifier(device.getPublic())
                .getKeyIdentifier());
    assertThat(authorityKeyId(cert)).isEqualTo(subjectKeyId(pki.deviceCa()));
    assertThat(crlUrls(cert)).containsExactly(CRL_URL.toString());
    assertThat(Duration.between(cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant()))
        .isEqualTo(Duration.ofDays(365).plus(CertificateIssuer.CLOCK_SKEW));

    PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(pki.root(), null)));
    parameters.setRevocationEnabled(false);
    var path =
        CertificateFactory.getInstance("X.509").generateCertPath(List.of(cert, pki.deviceCa()));
    var result =
        (PKIXCertPathValidatorResult)
            CertPathValidator.getInstance("PKIX").validate(path, parameters);
    assertThat(result.getPublicKey()).isEqualTo(device.getPublic());
  }

  @ParameterizedTest
  @EnumSource(TestPki.CaKey.class)
  void anRsaKeyMayAlsoEncipher(TestPki.CaKey caKey) {
    TestPki pki = TestPki.create(caKey, Duration.ofDays(3650));

    X509Certificate cert =
        issuer(pki, Duration.ofDays(30))
            .issue("rsa-device", TestPki.rsaKeyPair(2048).getPublic())
            .certificate();

    boolean[] usage = cert.getKeyUsage();
    assertThat(usage[0]).as("digitalSignature").isTrue();
    assertThat(usage[2]).as("keyEncipherment").isTrue();
  }

  @ParameterizedTest
  @EnumSource(TestPki.CaKey.class)
  void neverOutlivesTheDeviceCa(TestPki.CaKey caKey) {
    TestPki pki = TestPki.create(caKey, Duration.ofDays(10));

    X509Certificate cert =
        issuer(pki, Duration.ofDays(365))
            .issue("SN-short", TestPki.ecKeyPair("secp256r1").getPublic())
            .certificate();

    assertThat(cert.getNotAfter()).isEqualTo(pki.deviceCa().getNotAfter());
    assertThat(cert.getNotAfter().toInstant()).isBefore(Instant.now().plus(Duration.ofDays(11)));
  }

  @ParameterizedTest
  @EnumSource(TestPki.CaKey.class)
  void serialsAreUnique(TestPki.CaKey caKey) {
    CertificateIssuer issuer =
        issuer(TestPki.create(caKey, Duration.ofDays(100)), Duration.ofDays(1));
    var key = TestPki.ecKeyPair("secp256r1").getPublic();

    assertThat(issuer.issue("a", key).serial()).isNotEqualTo(issuer.issue("a", key).serial());
  }

  private static CertificateIssuer issuer(TestPki pki, Duration validity) {
    PkiProperties properties = new PkiProperties(pki.dir(), CRL_URL, validity, Duration.ofDays(1));
    return new CertificateIssuer(new DeviceCa(properties), properties);
  }

  private static byte[] subjectKeyId(X509Certificate cert) {
    return SubjectKeyIdentifier.getInstance(
            ASN1OctetString.getInstance(
                    cert.getExtensionValue(Extension.subjectKeyIdentifier.getId()))
                .getOctets())
        .getKeyIdentifier();
  }

  private static byte[] authorityKeyId(X509Certificate cert) {
    return AuthorityKeyIdentifier.getInstance(
            ASN1OctetString.getInstance(
                    cert.getExtensionValue(Extension.authorityKeyIdentifier.getId()))
                .getOctets())
        .getKeyIdentifierOctets();
  }

  private static List<String> crlUrls(X509Certificate cert) {
    CRLDistPoint points =
        CRLDistPoint.getInstance(
            ASN1OctetString.getInstance(
                    cert.getExtensionValue(Extension.cRLDistributionPoints.getId()))
                .getOctets());
    return java.util.Arrays.stream(points.getDistributionPoints())
        .flatMap(
            p ->
                java.util.Arrays.stream(
                    GeneralNames.getInstance(p.getDistributionPoint().getName()).getNames()))
        .filter(n -> n.getTagNo() == GeneralName.uniformResourceIdentifier)
        .map(n -> n.getName().toString())
        .toList();
  }
}
