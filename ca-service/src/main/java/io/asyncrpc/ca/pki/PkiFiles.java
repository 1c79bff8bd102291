package io.asyncrpc.ca.pki;

/**
 * The file names of the PKI directory, as {@code pki/bootstrap.sh} writes them; the broker's TLS
 * configuration points at the same files.
 */
public final class PkiFiles {

  /** The root CA certificate (trust anchor of devices and the broker). */
  public static final String ROOT_CA = "root-ca.pem";

  /** The device intermediate CA certificate, issuer of every device certificate. */
  public static final String DEVICE_CA = "device-ca.pem";

  /** The device CA's private key, PKCS#8 PEM. */
  public static final String DEVICE_CA_KEY = "device-ca.key";

  /** Device CA then root: the chain handed to devices with their certificate. */
  public static final String DEVICE_CA_CHAIN = "device-ca-chain.pem";

  /** The RSA key that signs control-center JWTs, PKCS#8 PEM. */
  public static final String JWT_SIGNING_KEY = "jwt-signing.key";

  /** Its public half (SubjectPublicKeyInfo PEM), for verifiers such as nginx. */
  public static final String JWT_SIGNING_PUBLIC_KEY = "jwt-signing.pub.pem";

  /**
   * Optional: the public key signing used before a rollover, still published in the JWKS until the
   * tokens it signed have expired.
   */
  public static final String JWT_SIGNING_PREVIOUS_PUBLIC_KEY = "jwt-signing.previous.pub.pem";

  /** The device CA's CRL, written by ca-service; the broker reads it under its hash name. */
  public static final String DEVICE_CA_CRL = "crl/device-ca.crl.pem";

  private PkiFiles() {}
}
