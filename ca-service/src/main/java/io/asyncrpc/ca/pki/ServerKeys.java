package io.asyncrpc.ca.pki;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * Keys made by the CA for devices that cannot make their own, and the PKCS#12 file that carries one
 * with its certificate and chain.
 */
public final class ServerKeys {

  private ServerKeys() {}

  /** Key types a bundle can have. */
  public enum KeyType {
    /** EC on P-256: small, fast, what mbedTLS and every TLS stack handle. The default. */
    EC_P256,
    /** RSA 2048, for stacks without ECDSA. */
    RSA_2048
  }

  /** A fresh key pair. */
  public static KeyPair generate(KeyType type) {
    try {
      KeyPairGenerator generator;
      if (type == KeyType.RSA_2048) {
        generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
      } else {
        generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
      }
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot generate a " + type + " key", e);
    }
  }

  /**
   * A PKCS#12 file with the key, its certificate and the chain, under {@code alias}, protected by
   * {@code password} (the JDK's defaults: PBES2 with AES-256 and an HMAC-SHA-256 MAC).
   */
  public static byte[] pkcs12(
      String alias,
      PrivateKey key,
      X509Certificate certificate,
      List<X509Certificate> chain,
      char[] password) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      List<Certificate> path = new ArrayList<>();
      path.add(certificate);
      path.addAll(chain);
      store.setKeyEntry(alias, key, password, path.toArray(Certificate[]::new));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      store.store(out, password);
      return out.toByteArray();
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot write a PKCS#12 bundle", e);
    }
  }
}
