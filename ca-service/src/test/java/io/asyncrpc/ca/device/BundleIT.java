package io.asyncrpc.ca.device;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncrpc.ca.IntegrationTest;
import io.asyncrpc.ca.TestPki;
import io.asyncrpc.ca.pki.Pem;
import io.asyncrpc.testsupport.ApiClient.Answer;
import java.io.ByteArrayInputStream;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Map;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.junit.jupiter.api.Test;

/** Server-generated key + certificate bundles, against the real database and broker. */
class BundleIT extends IntegrationTest {

  @Test
  void aPemBundleHoldsAKeyThatFitsItsCertificate() throws Exception {
    String tenant = newTenant();
    String admin = deviceAdminToken(tenant);
    String device = newDevice(tenant);

    Answer bundle = http().postAs(bundlePath(device, "pem"), null, admin);

    assertThat(bundle.status()).as(bundle.toString()).isEqualTo(201);
    assertThat(bundle.text("private_key")).startsWith("-----BEGIN PRIVATE KEY-----");
    PrivateKey key =
        new JcaPEMKeyConverter()
            .getPrivateKey((PrivateKeyInfo) Pem.decodeAll(bundle.text("private_key")).getFirst());
    X509Certificate cert = certificate(bundle.text("certificate"));
    assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=" + device);
    assertThat(cert.getSerialNumber().toString(16)).isEqualTo(bundle.text("serial"));
    assertThat(signsFor(key, cert)).isTrue();
    assertThat(Pem.decodeAll(bundle.text("chain"))).hasSize(2);
    assertThat(cert.getIssuerX500Principal())
        .isEqualTo(TestPki.shared().deviceCa().getSubjectX500Principal());
    assertThat(
            jdbc.sql("SELECT key_from_server FROM certificates WHERE serial = ?")
                .param(bundle.text("serial"))
                .query(Boolean.class)
                .single())
        .isTrue();
    assertThat(broker().user(device)).as("broker user").isNotNull();
  }

  @Test
  void aPkcs12BundleOpensWithThePasswordOfTheRequest() throws Exception {
    String tenant = newTenant();
    String admin = deviceAdminToken(tenant);
    String device = newDevice(tenant);

    Answer bundle =
        http()
            .postAs(
                bundlePath(device, "pkcs12"),
                Map.of("password", "correct horse battery", "key_type", "RSA_2048"),
                admin);

    assertThat(bundle.status()).as(bundle.toString()).isEqualTo(201);
    assertThat(bundle.contentType()).hasToString("application/x-pkcs12");
    assertThat(bundle.header("Bundle-Password")).isNull();
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(new ByteArrayInputStream(bundle.bytes()), "correct horse battery".toCharArray());
    PrivateKey key = (PrivateKey) store.getKey(device, "correct horse battery".toCharArray());
    Certificate[] chain = store.getCertificateChain(device);
    assertThat(key.getAlgorithm()).isEqualTo("RSA");
    assertThat(chain).hasSize(3);
    X509Certificate cert = (X509Certificate) chain[0];
    assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=" + device);
    assertThat(cert.getSerialNumber().toString(16)).isEqualTo(bundle.header("Certificate-Serial"));
    assertThat(signsFor(key, cert)).isTrue();
  }

  @Test
  void aPkcs12BundleWithoutPasswordGetsAGeneratedOneInAHeader() throws Exception {
    String tenant = newTenant();
    String device = newDevice(tenant);

    Answer bundle = http().postAs(bundlePath(device, "pkcs12"), null, deviceAdminToken(tenant));

    assertThat(bundle.status()).isEqualTo(201);
    String password = bundle.header("Bundle-Password");
    assertThat(password).hasSizeGreaterThanOrEqualTo(20);
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(new ByteArrayInputStream(bundle.bytes()), password.toCharArray());
    assertThat(store.getKey(device, password.toCharArray()).getAlgorithm()).isEqualTo("EC");
  }

  @Test
  void anotherTenantsDeviceGetsNoBundle() {
    String device = newDevice(newTenant());

    Answer refused = http().postAs(bundlePath(device, "pem"), null, deviceAdminToken(newTenant()));

    assertThat(refused.status()).isEqualTo(404);
    assertThat(refused.problemType()).isEqualTo(PROBLEM + "device-not-found");
    assertThat(
            jdbc.sql("SELECT count(*) FROM certificates WHERE device_id = ?")
                .param(device)
                .query(Long.class)
                .single())
        .isZero();
  }

  private static String bundlePath(String device, String format) {
    return "/api/v1/identities/" + device + "/bundle?format=" + format;
  }

  private static X509Certificate certificate(String pem) throws Exception {
    return (X509Certificate)
        java.security.cert.CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(pem.getBytes()));
  }

  private static boolean signsFor(PrivateKey key, X509Certificate cert) throws Exception {
    String algorithm = key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
    Signature signer = Signature.getInstance(algorithm);
    signer.initSign(key);
    signer.update(new byte[] {1, 2, 3});
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance(algorithm);
    verifier.initVerify(cert.getPublicKey());
    verifier.update(new byte[] {1, 2, 3});
    return verifier.verify(signature);
  }
}
