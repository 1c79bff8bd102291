package io.asyncrpc.ca.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asyncrpc.ca.Csrs;
import io.asyncrpc.ca.TestPki;
import java.security.KeyPair;
import org.junit.jupiter.api.Test;

/** Tests for {@link CertificateRequest}: the checks a CSR passes before anything is signed. */
class CertificateRequestTests {

  @Test
  void readsTheCommonNameAndKeyOfAnEcCsr() {
    KeyPair keys = TestPki.ecKeyPair("secp256r1");

    CertificateRequest csr = CertificateRequest.parse(Csrs.csr("CN=SN-0001", keys));

    assertThat(csr.commonName()).isEqualTo("SN-0001");
    assertThat(csr.publicKey()).isEqualTo(keys.getPublic());
  }

  @Test
  void acceptsRsa2048AndEcP384() {
    assertThat(CertificateRequest.parse(Csrs.csr("CN=a", TestPki.rsaKeyPair(2048))).commonName())
        .isEqualTo("a");
    assertThat(
            CertificateRequest.parse(Csrs.csr("CN=b", TestPki.ecKeyPair("secp384r1"))).commonName())
        .isEqualTo("b");
  }

  @Test
  void refusesRsaBelow2048Bits() {
    assertThatThrownBy(() -> CertificateRequest.parse(Csrs.csr("CN=a", TestPki.rsaKeyPair(1024))))
        .isInstanceOf(WeakKeyException.class)
        .hasMessageContaining("1024");
  }

  @Test
  void refusesCurvesOtherThanP256AndP384() {
    assertThatThrownBy(
            () -> CertificateRequest.parse(Csrs.csr("CN=a", TestPki.ecKeyPair("secp521r1"))))
        .isInstanceOf(WeakKeyException.class)
        .hasMessageContaining("P-256 or P-384");
  }

  @Test
  void refusesACsrWhoseSignatureDoesNotMatchItsKey() {
    String good = Csrs.csr("CN=SN-1", TestPki.ecKeyPair("secp256r1"));
    // Same CSR structure, subject changed after signing: the self-signature no longer verifies.
    String other = Csrs.csr("CN=SN-2", TestPki.ecKeyPair("secp256r1"));
    String forged = spliceSignature(good, other);

    assertThatThrownBy(() -> CertificateRequest.parse(forged))
        .isInstanceOf(InvalidCsrException.class);
  }

  @Test
  void refusesTextThatIsNoCsr() {
    assertThatThrownBy(() -> CertificateRequest.parse("hello"))
        .isInstanceOf(InvalidCsrException.class);
    assertThatThrownBy(() -> CertificateRequest.parse("")).isInstanceOf(InvalidCsrException.class);
    assertThatThrownBy(
            () -> CertificateRequest.parse(Pem.encode(TestPki.ecKeyPair("secp256r1").getPublic())))
        .isInstanceOf(InvalidCsrException.class)
        .hasMessageContaining("CERTIFICATE REQUEST");
  }

  @Test
  void aSubjectWithoutASingleCnHasNoCommonName() {
    KeyPair keys = TestPki.ecKeyPair("secp256r1");

    assertThat(CertificateRequest.parse(Csrs.csr("O=Acme", keys)).commonName()).isNull();
    assertThat(CertificateRequest.parse(Csrs.csr("CN=a,CN=b", keys)).commonName()).isNull();
  }

  /** The CSR {@code a} with the signature of {@code b}. */
  private static String spliceSignature(String a, String b) {
    try {
      var csrA = (org.bouncycastle.pkcs.PKCS10CertificationRequest) Pem.decodeAll(a).getFirst();
      var csrB = (org.bouncycastle.pkcs.PKCS10CertificationRequest) Pem.decodeAll(b).getFirst();
      var structure =
          new org.bouncycastle.asn1.pkcs.CertificationRequest(
              csrA.toASN1Structure().getCertificationRequestInfo(),
              csrA.getSignatureAlgorithm(),
              csrB.toASN1Structure().getSignature());
      return Pem.encode(new org.bouncycastle.pkcs.PKCS10CertificationRequest(structure));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
