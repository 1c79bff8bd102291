package io.asyncrpc.agent.internal.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/** Reads and writes the PEM files a device keeps: certificates and an unencrypted private key. */
public final class PemFiles {

  private PemFiles() {}

  /**
   * The certificates of a PEM file, in file order (a chain file lists the device's own first).
   *
   * @throws IOException when the file cannot be read or holds no certificate
   */
  public static List<X509Certificate> certificates(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      List<X509Certificate> certificates = new ArrayList<>();
      for (var certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        certificates.add((X509Certificate) certificate);
      }
      if (certificates.isEmpty()) {
        throw new IOException(file + " holds no certificate");
      }
      return certificates;
    } catch (CertificateException e) {
      throw new IOException(file + " is not a PEM certificate file: " + e.getMessage(), e);
    }
  }

  /**
   * The private key of a PEM file: PKCS#8 ({@code BEGIN PRIVATE KEY}, what {@code enroll} and
   * {@code openssl genpkey} write), or the older {@code BEGIN EC PRIVATE KEY} / {@code BEGIN RSA
   * PRIVATE KEY} forms; EC or RSA; not encrypted.
   *
   * @throws IOException when the file cannot be read or holds no such key
   */
  public static PrivateKey privateKey(Path file) throws IOException {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
        PEMParser parser = new PEMParser(reader)) {
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
        if (object instanceof PrivateKeyInfo info) {
          return converter.getPrivateKey(info);
        }
        if (object instanceof PEMKeyPair pair) {
          // SEC1 / PKCS#1: the curve is inside the key structure, which the pair converter reads.
          return pair.getPublicKeyInfo() != null
              ? converter.getKeyPair(pair).getPrivate()
              : converter.getPrivateKey(pair.getPrivateKeyInfo());
        }
      }
    } catch (IOException | RuntimeException e) {
      throw new IOException(file + " is not a PEM private key file: " + e.getMessage(), e);
    }
    throw new IOException(
        file + " holds no unencrypted private key (expected -----BEGIN PRIVATE KEY-----)");
  }

  /** One PEM block of {@code type} (e.g. {@code CERTIFICATE}) around {@code der}. */
  public static String pem(String type, byte[] der) {
    String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }
}
