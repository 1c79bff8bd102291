package io.asyncrpc.ca.pki;

import java.io.IOException;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * Which device keys are accepted: RSA of 2048 to 8192 bits, or EC on the named curves P-256 and
 * P-384 (what mbedTLS on an ESP32 and every JDK handle). Everything else is refused, including
 * explicit curve parameters, which would let a CSR smuggle in a weak curve.
 */
final class KeyPolicy {

  static final int MIN_RSA_BITS = 2048;
  static final int MAX_RSA_BITS = 8192;

  private KeyPolicy() {}

  /** Throws {@link WeakKeyException} unless the key is acceptable. */
  static void check(SubjectPublicKeyInfo key) {
    ASN1ObjectIdentifier algorithm = key.getAlgorithm().getAlgorithm();
    if (PKCSObjectIdentifiers.rsaEncryption.equals(algorithm)) {
      int bits;
      try {
        bits = RSAPublicKey.getInstance(key.parsePublicKey()).getModulus().bitLength();
      } catch (IOException | IllegalArgumentException e) {
        throw new WeakKeyException("the RSA public key cannot be read");
      }
      if (bits < MIN_RSA_BITS || bits > MAX_RSA_BITS) {
        throw new WeakKeyException(
            "RSA keys must have "
                + MIN_RSA_BITS
                + " to "
                + MAX_RSA_BITS
                + " bits; this one has "
                + bits);
      }
      return;
    }
    if (X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm)) {
      var parameters = key.getAlgorithm().getParameters();
      if (X9ObjectIdentifiers.prime256v1.equals(parameters)
          || SECObjectIdentifiers.secp384r1.equals(parameters)) {
        return;
      }
      throw new WeakKeyException("EC keys must use the named curve P-256 or P-384");
    }
    throw new WeakKeyException(
        "key algorithm "
            + algorithm.getId()
            + " is not accepted; use RSA >= 2048 or EC P-256/P-384");
  }
}
