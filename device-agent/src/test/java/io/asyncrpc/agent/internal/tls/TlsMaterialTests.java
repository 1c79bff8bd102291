package io.asyncrpc.agent.internal.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsMaterialTests {

  @TempDir Path dir;

  @Test
  void loadsAnEcIdentityFromPkcs8Pem() throws Exception {
    KeyPair keys = ec();
    X509Certificate certificate = selfSigned("SN-ec", keys, "SHA256withECDSA");
    Path cert = write("device.pem", PemFiles.pem("CERTIFICATE", certificate.getEncoded()));
    Path key = write("device.key", PemFiles.pem("PRIVATE KEY", keys.getPrivate().getEncoded()));

    X509KeyManager manager =
        (X509KeyManager) TlsMaterial.keyManagers(cert, key).getKeyManagers()[0];

    assertThat(manager.getCertificateChain("device")).containsExactly(certificate);
    assertThat(manager.getPrivateKey("device")).isEqualTo(keys.getPrivate());
  }

  @Test
  void loadsAnRsaIdentityAndItsChainFromPem() throws Exception {
    KeyPair caKeys = ec();
    X509Certificate ca = selfSigned("Device CA", caKeys, "SHA256withECDSA");
    KeyPair keys = rsa();
    X509Certificate leaf = issued("SN-rsa", keys.getPublic(), ca, caKeys);
    Path cert =
        write(
            "chain.pem",
            PemFiles.pem("CERTIFICATE", leaf.getEncoded())
                + PemFiles.pem("CERTIFICATE", ca.getEncoded()));
    Path key = write("device.key", PemFiles.pem("PRIVATE KEY", keys.getPrivate().getEncoded()));

    X509KeyManager manager =
        (X509KeyManager) TlsMaterial.keyManagers(cert, key).getKeyManagers()[0];

    assertThat(manager.getCertificateChain("device")).containsExactly(leaf, ca);
    assertThat(manager.getPrivateKey("device").getAlgorithm()).isEqualTo("RSA");
  }

  @Test
  void readsTheOlderSec1EcKeyForm() throws Exception {
    // openssl pkey -traditional: "BEGIN EC PRIVATE KEY" with curve and public key inside.
    Path key =
        write(
            "sec1.key",
            """
            -----BEGIN EC PRIVATE KEY-----
            MHcCAQEEILGfODhkzCZiHcQXZ9erRMaAoxMoRMiJI6zT8uoiIA89oAoGCCqGSM49
            AwEHoUQDQgAEy8slddb/Rp5pYoyNryzhkO+ESTape3Y5IL8Pm/DP9n+v3KEyv96m
            J6X29MbxVswhIWexeFeE51qhl35WYoUrEA==
            -----END EC PRIVATE KEY-----
            """);

    PrivateKey parsed = PemFiles.privateKey(key);

    assertThat(parsed.getAlgorithm()).isEqualTo("EC");
    assertThat(parsed.getFormat()).isEqualTo("PKCS#8");
  }

  @Test
  void refusesAKeyOfAnotherAlgorithmThanTheCertificate() throws Exception {
    Path cert =
        write(
            "device.pem",
            PemFiles.pem("CERTIFICATE", selfSigned("SN", ec(), "SHA256withECDSA").getEncoded()));
    Path key = write("device.key", PemFiles.pem("PRIVATE KEY", rsa().getPrivate().getEncoded()));

    assertThatIOException()
        .isThrownBy(() -> TlsMaterial.keyManagers(cert, key))
        .withMessageContaining("RSA key");
  }

  @Test
  void refusesFilesWithoutPemContent() throws Exception {
    Path empty = write("empty.pem", "nothing here\n");

    assertThatIOException().isThrownBy(() -> PemFiles.certificates(empty));
    assertThatIOException()
        .isThrownBy(() -> PemFiles.privateKey(empty))
        .withMessageContaining("no unencrypted private key");
  }

  @Test
  void loadsAPkcs12IdentityAndRefusesAWrongPassword() throws Exception {
    KeyPair keys = ec();
    X509Certificate certificate = selfSigned("SN-p12", keys, "SHA256withECDSA");
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry(
        "dev", keys.getPrivate(), "s3cret".toCharArray(), new X509Certificate[] {certificate});
    Path p12 = dir.resolve("device.p12");
    try (OutputStream out = Files.newOutputStream(p12)) {
      store.store(out, "s3cret".toCharArray());
    }

    X509KeyManager manager =
        (X509KeyManager) TlsMaterial.keyManagers(p12, "s3cret".toCharArray()).getKeyManagers()[0];

    assertThat(manager.getCertificateChain("dev")).containsExactly(certificate);
    assertThatIOException().isThrownBy(() -> TlsMaterial.keyManagers(p12, "wrong".toCharArray()));
  }

  @Test
  void trustsExactlyTheBundlesCertificates() throws Exception {
    X509Certificate root = selfSigned("Root", ec(), "SHA256withECDSA");
    Path bundle = write("trust-bundle.pem", PemFiles.pem("CERTIFICATE", root.getEncoded()));

    X509TrustManager manager =
        (X509TrustManager) TlsMaterial.trustManagers(bundle).getTrustManagers()[0];

    assertThat(manager.getAcceptedIssuers()).containsExactly(root);
  }

  private Path write(String name, String text) throws Exception {
    return Files.writeString(dir.resolve(name), text);
  }

  static KeyPair ec() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  static KeyPair rsa() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    return generator.generateKeyPair();
  }

  static X509Certificate issued(
      String cn, java.security.PublicKey key, X509Certificate ca, KeyPair caKeys) throws Exception {
    Instant now = Instant.now();
    var builder =
        new JcaX509v3CertificateBuilder(
            ca,
            BigInteger.valueOf(now.toEpochMilli() + 1),
            Date.from(now.minus(1, ChronoUnit.MINUTES)),
            Date.from(now.plus(1, ChronoUnit.DAYS)),
            new X500Name("CN=" + cn),
            key);
    return new JcaX509CertificateConverter()
        .getCertificate(
            builder.build(
                new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate())));
  }

  static X509Certificate selfSigned(String cn, KeyPair keys, String algorithm) throws Exception {
    X500Name name = new X500Name("CN=" + cn);
    Instant now = Instant.now();
    var builder =
        new JcaX509v3CertificateBuilder(
            name,
            BigInteger.valueOf(now.toEpochMilli()),
            Date.from(now.minus(1, ChronoUnit.MINUTES)),
            Date.from(now.plus(1, ChronoUnit.DAYS)),
            name,
            keys.getPublic());
    return new JcaX509CertificateConverter()
        .getCertificate(
            builder.build(new JcaContentSignerBuilder(algorithm).build(keys.getPrivate())));
  }
}
