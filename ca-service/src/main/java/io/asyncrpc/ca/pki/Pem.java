package io.asyncrpc.ca.pki;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.util.io.pem.PemGenerationException;

/** PEM text in and out: certificates, keys and CRLs as the PKI directory and clients use them. */
public final class Pem {

  private Pem() {}

  /** The PEM text of a certificate, key, CSR or CRL (JCA or Bouncy Castle object). */
  public static String encode(Object object) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(object);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /**
   * The PKCS#8 PEM text ({@code PRIVATE KEY}) of a private key. {@link #encode} would write EC keys
   * in the traditional {@code EC PRIVATE KEY} form, which not every reader takes.
   */
  public static String encodePkcs8(PrivateKey key) {
    try {
      return encode(new JcaPKCS8Generator(key, null).generate());
    } catch (PemGenerationException e) {
      throw new IllegalStateException("cannot encode the private key", e);
    }
  }

  /** The PEM text of several objects, one after the other (a chain). */
  public static String encodeAll(List<?> objects) {
    StringBuilder out = new StringBuilder();
    objects.forEach(o -> out.append(encode(o)));
    return out.toString();
  }

  /** Every PEM object in {@code text}, in order. */
  public static List<Object> decodeAll(String text) throws IOException {
    List<Object> objects = new ArrayList<>();
    try (PEMParser parser = new PEMParser(new StringReader(text))) {
      for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
        objects.add(o);
      }
    }
    return objects;
  }

  /** The certificates of a PEM file, in order (a chain file lists the leaf first). */
  public static List<X509Certificate> readCertificates(Path file) {
    try {
      List<X509Certificate> certificates = new ArrayList<>();
      JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
      for (Object o : decodeAll(Files.readString(file))) {
        if (o instanceof X509CertificateHolder holder) {
          certificates.add(converter.getCertificate(holder));
        }
      }
      if (certificates.isEmpty()) {
        throw new IllegalStateException(file + " holds no PEM certificate");
      }
      return certificates;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    } catch (CertificateException e) {
      throw new IllegalStateException(file + " holds an invalid certificate", e);
    }
  }

  /** The private key of a PEM file: PKCS#8 ({@code PRIVATE KEY}) or a traditional key pair. */
  public static PrivateKey readPrivateKey(Path file) {
    try {
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      for (Object o : decodeAll(Files.readString(file))) {
        if (o instanceof PrivateKeyInfo info) {
          return converter.getPrivateKey(info);
        }
        if (o instanceof PEMKeyPair pair) {
          return converter.getPrivateKey(pair.getPrivateKeyInfo());
        }
      }
      throw new IllegalStateException(
          file + " holds no unencrypted PEM private key (PKCS#8 expected)");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** The public key of a PEM file ({@code PUBLIC KEY}, SubjectPublicKeyInfo). */
  public static PublicKey readPublicKey(Path file) {
    try {
      for (Object o : decodeAll(Files.readString(file))) {
        if (o instanceof SubjectPublicKeyInfo info) {
          return new JcaPEMKeyConverter().getPublicKey(info);
        }
      }
      throw new IllegalStateException(file + " holds no PEM public key");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
