package io.asyncrpc.agent.internal.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * JSSE key and trust managers from a device's files: its certificate chain and private key (PEM) or
 * a PKCS#12 file, and the CA certificates it trusts (PEM, usually {@code trust-bundle.pem}).
 */
public final class TlsMaterial {

  /** The in-memory key store's password: it never leaves this process. */
  private static final char[] MEMORY_PASSWORD = "device".toCharArray();

  private TlsMaterial() {}

  /**
   * The device's identity from PEM files.
   *
   * @param certificateChain the device certificate first, then optionally its CA certificates
   * @param privateKey the matching private key (PKCS#8, EC or RSA)
   * @throws IOException when a file is unreadable or the key does not match the certificate
   */
  public static KeyManagerFactory keyManagers(Path certificateChain, Path privateKey)
      throws IOException {
    List<X509Certificate> chain = PemFiles.certificates(certificateChain);
    PrivateKey key = PemFiles.privateKey(privateKey);
    if (!key.getAlgorithm().equals(chain.getFirst().getPublicKey().getAlgorithm())) {
      throw new IOException(
          privateKey
              + " holds an "
              + key.getAlgorithm()
              + " key but the certificate in "
              + certificateChain
              + " is for an "
              + chain.getFirst().getPublicKey().getAlgorithm()
              + " key");
    }
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("device", key, MEMORY_PASSWORD, chain.toArray(X509Certificate[]::new));
      KeyManagerFactory factory =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      factory.init(store, MEMORY_PASSWORD);
      return factory;
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot use the key in " + privateKey + ": " + e.getMessage(), e);
    }
  }

  /**
   * The device's identity from a PKCS#12 file (key and certificate chain under one password).
   *
   * @throws IOException when the file is unreadable, the password wrong or no key is inside
   */
  public static KeyManagerFactory keyManagers(Path pkcs12, char[] password) throws IOException {
    char[] secret = password == null ? new char[0] : password.clone();
    try (InputStream in = Files.newInputStream(pkcs12)) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, secret);
      boolean hasKey = false;
      for (String alias : java.util.Collections.list(store.aliases())) {
        hasKey |= store.isKeyEntry(alias);
      }
      if (!hasKey) {
        throw new IOException(pkcs12 + " holds no private key");
      }
      KeyManagerFactory factory =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      factory.init(store, secret);
      return factory;
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot read PKCS#12 file " + pkcs12 + ": " + e.getMessage(), e);
    } finally {
      Arrays.fill(secret, '\0');
    }
  }

  /**
   * Trust in exactly the CA certificates of a PEM file (not the JVM's default CAs).
   *
   * @throws IOException when the file is unreadable or holds no certificate
   */
  public static TrustManagerFactory trustManagers(Path caCertificates) throws IOException {
    List<X509Certificate> certificates = PemFiles.certificates(caCertificates);
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      for (int i = 0; i < certificates.size(); i++) {
        store.setCertificateEntry("ca-" + i, certificates.get(i));
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      return factory;
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot trust " + caCertificates + ": " + e.getMessage(), e);
    }
  }
}
