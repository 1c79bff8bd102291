package io.asyncrpc.systemtests.security;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The PKI of the local stack as the tests need it: the device CA's certificate and key (read from
 * {@code IOTCORE_PKI_DIR}, made by {@code pki/bootstrap.sh}), the trust bundle, and certificates
 * made on the spot with Bouncy Castle, good or bad on purpose.
 */
public final class TestPki {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path dir;
  private final X509Certificate deviceCa;
  private final PrivateKey deviceCaKey;
  private final TrustManagerFactory trust;

  private TestPki(Path dir) {
    this.dir = dir;
    this.deviceCa = certificates(dir.resolve("device-ca.pem")).getFirst();
    this.deviceCaKey = privateKey(dir.resolve("device-ca.key"));
    this.trust = trustManagers(certificates(dir.resolve("trust-bundle.pem")));
  }

  /** The local stack's PKI ({@code IOTCORE_PKI_DIR}, else where {@code scripts/stack} puts it). */
  static TestPki local() {
    return new TestPki(directory());
  }

  /** The directory {@code pki/bootstrap.sh} wrote for the local stack. */
  public static Path directory() {
    String explicit = System.getenv("IOTCORE_PKI_DIR");
    if (explicit != null && !explicit.isBlank()) {
      return Path.of(explicit);
    }
    String home = System.getenv("IOTCORE_HOME");
    Path base =
        home != null && !home.isBlank()
            ? Path.of(home)
            : Path.of(System.getProperty("user.home"), ".cache", "iot-core");
    return base.resolve("trixie/etc/iotcore/pki");
  }

  TrustManagerFactory trust() {
    return trust;
  }

  Path dir() {
    return dir;
  }

  /** A good device certificate: CN and DNS subjectAltName = device id, signed by the device CA. */
  Credentials device(String deviceId) {
    return issue(deviceId, Instant.now().minus(Duration.ofMinutes(5)), Duration.ofDays(1), true);
  }

  /**
   * A device CA certificate for {@code deviceId} valid from {@code notBefore} for {@code validity}.
   */
  Credentials issue(String deviceId, Instant notBefore, Duration validity, boolean withSan) {
    KeyPair keys = ecKeys();
    X509Certificate certificate =
        sign(
            deviceId,
            keys,
            X500Name.getInstance(deviceCa.getSubjectX500Principal().getEncoded()),
            deviceCaKey,
            notBefore,
            validity,
            withSan);
    return new Credentials(keys, certificate, List.of(certificate, deviceCa));
  }

  /** A device certificate signed by a CA made for this test only (trusted by nobody). */
  static Credentials fromForeignCa(String deviceId) {
    KeyPair caKeys = ecKeys();
    X500Name caName = new X500Name("CN=Throwaway Test CA " + RANDOM.nextInt(1_000_000));
    KeyPair keys = ecKeys();
    X509Certificate certificate =
        sign(
            deviceId,
            keys,
            caName,
            caKeys.getPrivate(),
            Instant.now().minus(Duration.ofMinutes(5)),
            Duration.ofDays(1),
            true);
    return new Credentials(keys, certificate, List.of(certificate));
  }

  /** A self-signed certificate with the device's CN. */
  static Credentials selfSigned(String deviceId) {
    KeyPair keys = ecKeys();
    X509Certificate certificate =
        sign(
            deviceId,
            keys,
            new X500Name("CN=" + deviceId),
            keys.getPrivate(),
            Instant.now().minus(Duration.ofMinutes(5)),
            Duration.ofDays(1),
            true);
    return new Credentials(keys, certificate, List.of(certificate));
  }

  /**
   * Adds a CRL of the device CA naming {@code revoked}, next to the one ca-service maintains: the
   * broker reads every {@code <issuer hash>.r<N>} file of the CRL directory. Close the returned
   * handle to remove it again.
   */
  AutoCloseable revoke(X509Certificate revoked) {
    try {
      Path crlDir = dir.resolve("crl");
      String hash = issuerHash(crlDir);
      int index = 1;
      while (Files.exists(
          crlDir.resolve(hash + ".r" + index), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        index++;
      }
      Path target = crlDir.resolve(hash + ".r" + index);
      Instant now = Instant.now();
      X509v2CRLBuilder builder =
          new X509v2CRLBuilder(
              X500Name.getInstance(deviceCa.getSubjectX500Principal().getEncoded()),
              Date.from(now.minus(Duration.ofMinutes(1))));
      builder.setNextUpdate(Date.from(now.plus(Duration.ofHours(1))));
      builder.addCRLEntry(revoked.getSerialNumber(), Date.from(now), CRLReason.keyCompromise);
      builder.addExtension(
          Extension.authorityKeyIdentifier,
          false,
          new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(deviceCa));
      builder.addExtension(
          Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(now.toEpochMilli())));
      byte[] der =
          builder
              .build(new JcaContentSignerBuilder("SHA384withECDSA").build(deviceCaKey))
              .getEncoded();
      // Written under another name first: the broker must never read half a CRL.
      Path tmp = crlDir.resolve(".test-crl-" + RANDOM.nextInt(1_000_000) + ".tmp");
      Files.writeString(tmp, pem("X509 CRL", der));
      Files.move(tmp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      return () -> Files.deleteIfExists(target);
    } catch (IOException
        | GeneralSecurityException
        | org.bouncycastle.operator.OperatorCreationException e) {
      throw new IllegalStateException("cannot write a test CRL", e);
    }
  }

  /** The name hash under which the bootstrap linked the device CA's CRL ({@code <hash>.r0}). */
  private static String issuerHash(Path crlDir) throws IOException {
    try (var files = Files.list(crlDir)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.matches("[0-9a-f]{8}\\.r0"))
          .findFirst()
          .map(n -> n.substring(0, 8))
          .orElseThrow(() -> new IOException("no <hash>.r0 CRL link in " + crlDir));
    }
  }

  private static X509Certificate sign(
      String cn,
      KeyPair subjectKeys,
      X500Name issuer,
      PrivateKey issuerKey,
      Instant notBefore,
      Duration validity,
      boolean withSan) {
    try {
      var builder =
          new JcaX509v3CertificateBuilder(
              issuer,
              new BigInteger(127, RANDOM).add(BigInteger.ONE),
              Date.from(notBefore),
              Date.from(notBefore.plus(validity)),
              new X500Name("CN=" + cn),
              subjectKeys.getPublic());
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      builder.addExtension(
          Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
      if (withSan) {
        builder.addExtension(
            Extension.subjectAlternativeName,
            false,
            new GeneralNames(new GeneralName(GeneralName.dNSName, cn)));
      }
      String algorithm =
          issuerKey.getAlgorithm().equals("EC") ? "SHA384withECDSA" : "SHA256withRSA";
      return new JcaX509CertificateConverter()
          .getCertificate(builder.build(new JcaContentSignerBuilder(algorithm).build(issuerKey)));
    } catch (Exception e) {
      throw new IllegalStateException("cannot make a test certificate", e);
    }
  }

  static KeyPair ecKeys() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<X509Certificate> certificates(Path file) {
    try (var in = Files.newInputStream(file)) {
      List<X509Certificate> out = new ArrayList<>();
      for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        out.add((X509Certificate) c);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read " + file + " (run scripts/stack infra, or set IOTCORE_PKI_DIR)", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static PrivateKey privateKey(Path file) {
    try (Reader reader = Files.newBufferedReader(file);
        PEMParser parser = new PEMParser(reader)) {
      return new JcaPEMKeyConverter().getPrivateKey((PrivateKeyInfo) parser.readObject());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static TrustManagerFactory trustManagers(List<X509Certificate> certificates) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      for (int i = 0; i < certificates.size(); i++) {
        store.setCertificateEntry("ca" + i, certificates.get(i));
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      return factory;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + java.util.Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  /**
   * A device's key and the certificate chain it presents.
   *
   * @param keys its key pair
   * @param certificate its certificate
   * @param chain what it presents: the certificate, then CA certificates if any
   */
  record Credentials(KeyPair keys, X509Certificate certificate, List<X509Certificate> chain) {

    KeyManagerFactory keyManagers() {
      try {
        char[] password = "test".toCharArray();
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry(
            "device", keys.getPrivate(), password, chain.toArray(X509Certificate[]::new));
        KeyManagerFactory factory =
            KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, password);
        return factory;
      } catch (GeneralSecurityException | IOException e) {
        throw new IllegalStateException(e);
      }
    }

    String serialHex() {
      return certificate.getSerialNumber().toString(16);
    }
  }
}
