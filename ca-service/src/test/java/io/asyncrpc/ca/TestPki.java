package io.asyncrpc.ca;

import io.asyncrpc.ca.pki.Pem;
import io.asyncrpc.ca.pki.PkiFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throwaway PKI in a temporary directory with the file names of {@code pki/bootstrap.sh}: root
 * CA, device CA (+ key and chain), server CA, JWT signing key pair. For tests only.
 *
 * @param dir the directory
 * @param root the root CA certificate
 * @param deviceCa the device CA certificate
 * @param deviceCaKey the device CA's private key
 */
public record TestPki(
    Path dir, X509Certificate root, X509Certificate deviceCa, PrivateKey deviceCaKey) {

  /** Key algorithm of the CAs. */
  public enum CaKey {
    EC,
    RSA
  }

  private static TestPki shared;

  /** One PKI per test JVM, shared by the Spring contexts of the integration tests. */
  public static synchronized TestPki shared() {
    if (shared == null) {
      shared = create(CaKey.EC, Duration.ofDays(3650));
    }
    return shared;
  }

  /** A new PKI whose CAs use {@code caKey} and live {@code caLifetime}. */
  public static TestPki create(CaKey caKey, Duration caLifetime) {
    try {
      Path dir = Files.createTempDirectory("ca-service-pki-");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
      Instant now = Instant.now();
      KeyPair rootKeys = keyPair(caKey);
      X509Certificate root =
          caCertificate(
              "CN=Test Root CA",
              rootKeys.getPublic(),
              "CN=Test Root CA",
              rootKeys,
              now,
              caLifetime.multipliedBy(2));
      KeyPair deviceKeys = keyPair(caKey);
      X509Certificate device =
          caCertificate(
              "CN=Test Device CA",
              deviceKeys.getPublic(),
              "CN=Test Root CA",
              rootKeys,
              now,
              caLifetime);
      KeyPair serverKeys = keyPair(caKey);
      X509Certificate server =
          caCertificate(
              "CN=Test Server CA",
              serverKeys.getPublic(),
              "CN=Test Root CA",
              rootKeys,
              now,
              caLifetime);
      write(dir.resolve(PkiFiles.ROOT_CA), Pem.encode(root));
      write(dir.resolve(PkiFiles.DEVICE_CA), Pem.encode(device));
      write(dir.resolve(PkiFiles.DEVICE_CA_KEY), pkcs8(deviceKeys.getPrivate()));
      write(dir.resolve(PkiFiles.DEVICE_CA_CHAIN), Pem.encode(device) + Pem.encode(root));
      write(dir.resolve("server-ca.pem"), Pem.encode(server));
      KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
      rsa.initialize(2048);
      KeyPair jwt = rsa.generateKeyPair();
      write(dir.resolve(PkiFiles.JWT_SIGNING_KEY), pkcs8(jwt.getPrivate()));
      write(dir.resolve(PkiFiles.JWT_SIGNING_PUBLIC_KEY), Pem.encode(jwt.getPublic()));
      return new TestPki(dir, root, device, deviceKeys.getPrivate());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An EC P-256 key pair. */
  public static KeyPair ecKeyPair(String curve) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec(curve));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An RSA key pair of {@code bits}. */
  public static KeyPair rsaKeyPair(int bits) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(bits);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyPair keyPair(CaKey type) {
    return type == CaKey.EC ? ecKeyPair("secp256r1") : rsaKeyPair(2048);
  }

  private static X509Certificate caCertificate(
      String subject,
      PublicKey key,
      String issuer,
      KeyPair issuerKeys,
      Instant now,
      Duration lifetime)
      throws GeneralSecurityException,
          IOException,
          org.bouncycastle.operator.OperatorCreationException {
    JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
                new X500Name(issuer),
                new BigInteger(64, new SecureRandom()).add(BigInteger.ONE),
                Date.from(now.minusSeconds(3600)),
                Date.from(now.plus(lifetime)),
                new X500Name(subject),
                key)
            .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
            .addExtension(
                Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
            .addExtension(
                Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(key))
            .addExtension(
                Extension.authorityKeyIdentifier,
                false,
                utils.createAuthorityKeyIdentifier(issuerKeys.getPublic()));
    String algorithm =
        issuerKeys.getPrivate().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
    return new JcaX509CertificateConverter()
        .getCertificate(
            builder.build(new JcaContentSignerBuilder(algorithm).build(issuerKeys.getPrivate())));
  }

  private static String pkcs8(PrivateKey key) {
    return Pem.encodePkcs8(key);
  }

  private static void delete(Path dir) {
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A leftover temporary directory is harmless.
    }
  }

  private static void write(Path file, String text) throws IOException {
    Files.writeString(file, text);
  }
}
