package io.asyncrpc.agent.internal.enroll;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncrpc.protocol.DeviceId;
import java.io.StringReader;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.Test;

class CsrFactoryTests {

  @Test
  void makesEcP256Keys() {
    KeyPair keys = CsrFactory.newKeyPair();

    assertThat(keys.getPublic().getAlgorithm()).isEqualTo("EC");
    assertThat(((ECPublicKey) keys.getPublic()).getParams().getCurve().getField().getFieldSize())
        .isEqualTo(256);
    assertThat(keys.getPrivate().getFormat()).isEqualTo("PKCS#8");
  }

  @Test
  void theCsrNamesTheDeviceAndIsSignedWithItsKey() throws Exception {
    KeyPair keys = CsrFactory.newKeyPair();

    String pem = CsrFactory.pem(CsrFactory.csr(new DeviceId("SN-0042_a"), keys));

    assertThat(pem).startsWith("-----BEGIN CERTIFICATE REQUEST-----\n");
    PKCS10CertificationRequest csr;
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      csr = (PKCS10CertificationRequest) parser.readObject();
    }
    assertThat(csr.getSubject().toString()).isEqualTo("CN=SN-0042_a");
    assertThat(csr.getSubjectPublicKeyInfo().getEncoded()).isEqualTo(keys.getPublic().getEncoded());
    assertThat(
            csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(keys.getPublic())))
        .isTrue();
  }
}
