package io.asyncrpc.ca.pki;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncrpc.ca.TestPki;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Files;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.bouncycastle.asn1.ASN1Enumerated;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.Extension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Tests for {@link CrlSigner}: the CRL's contents, signature and file. */
class CrlSignerTests {

  @ParameterizedTest
  @EnumSource(TestPki.CaKey.class)
  void listsTheRevokedSerialsSignedByTheDeviceCa(TestPki.CaKey caKey) throws Exception {
    TestPki pki = TestPki.create(caKey, Duration.ofDays(100));
    PkiProperties properties =
        new PkiProperties(
            pki.dir(), URI.create("http://x/crl"), Duration.ofDays(1), Duration.ofHours(6));
    CrlSigner signer = new CrlSigner(new DeviceCa(properties), properties);
    Instant revokedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(60);
    BigInteger a = new BigInteger("0f1e2d3c4b5a69788796a5b4c3d2e1f0", 16);
    BigInteger b = BigInteger.valueOf(42);

    Crl crl =
        signer.publish(
            List.of(
                new RevokedCertificate(a, revokedAt, RevocationReason.KEY_COMPROMISE),
                new RevokedCertificate(b, revokedAt, RevocationReason.SUPERSEDED)));

    X509CRL parsed =
        (X509CRL)
            CertificateFactory.getInstance("X.509")
                .generateCRL(new ByteArrayInputStream(crl.der()));
    parsed.verify(pki.deviceCa().getPublicKey());
    assertThat(parsed.getIssuerX500Principal()).isEqualTo(pki.deviceCa().getSubjectX500Principal());
    assertThat(parsed.getRevokedCertificate(a)).isNotNull();
    assertThat(parsed.getRevokedCertificate(a).getRevocationDate().toInstant())
        .isEqualTo(revokedAt);
    assertThat(reasonCode(parsed, a)).isEqualTo(1); // keyCompromise
    assertThat(reasonCode(parsed, b)).isEqualTo(4); // superseded
    assertThat(parsed.getRevokedCertificates()).hasSize(2);
    assertThat(
            Duration.between(
                parsed.getThisUpdate().toInstant(), parsed.getNextUpdate().toInstant()))
        .isEqualTo(Duration.ofHours(6));
    assertThat(parsed.getExtensionValue(Extension.cRLNumber.getId())).isNotNull();
    assertThat(parsed.getExtensionValue(Extension.authorityKeyIdentifier.getId())).isNotNull();

    String file = Files.readString(pki.dir().resolve(PkiFiles.DEVICE_CA_CRL));
    assertThat(file).startsWith("-----BEGIN X509 CRL-----").isEqualTo(crl.pem());
    try (var listing = Files.list(pki.dir().resolve("crl"))) {
      assertThat(listing.map(p -> p.getFileName().toString())).containsExactly("device-ca.crl.pem");
    }
  }

  @ParameterizedTest
  @EnumSource(TestPki.CaKey.class)
  void anEmptyCrlIsStillSignedAndReplacesTheFile(TestPki.CaKey caKey) throws Exception {
    TestPki pki = TestPki.create(caKey, Duration.ofDays(100));
    PkiProperties properties =
        new PkiProperties(
            pki.dir(), URI.create("http://x/crl"), Duration.ofDays(1), Duration.ofDays(1));
    CrlSigner signer = new CrlSigner(new DeviceCa(properties), properties);
    signer.publish(
        List.of(
            new RevokedCertificate(BigInteger.TEN, Instant.now(), RevocationReason.UNSPECIFIED)));

    Crl crl = signer.publish(List.of());

    X509CRL parsed =
        (X509CRL)
            CertificateFactory.getInstance("X.509")
                .generateCRL(new ByteArrayInputStream(crl.der()));
    parsed.verify(pki.deviceCa().getPublicKey());
    assertThat(parsed.getRevokedCertificates()).isNull();
    assertThat(Files.readString(pki.dir().resolve(PkiFiles.DEVICE_CA_CRL))).isEqualTo(crl.pem());
  }

  private static int reasonCode(X509CRL crl, BigInteger serial) {
    byte[] value =
        crl.getRevokedCertificate(serial).getExtensionValue(Extension.reasonCode.getId());
    return ASN1Enumerated.getInstance(ASN1OctetString.getInstance(value).getOctets())
        .intValueExact();
  }
}
