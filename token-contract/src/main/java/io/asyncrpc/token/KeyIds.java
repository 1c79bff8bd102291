package io.asyncrpc.token;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Base64;

/**
 * The key id ({@code kid}) of a signing key: its RFC 7638 JWK thumbprint, stable across restarts
 * and instances and new with every new key. The edge computes the same in shell when it renders its
 * configuration before any service runs ({@code scripts/lib/nginx.sh kid}); a test checks that both
 * agree.
 */
public final class KeyIds {

  private KeyIds() {}

  /** The RFC 7638 SHA-256 thumbprint of an RSA public key, base64url without padding. */
  public static String thumbprint(RSAPublicKey key) {
    String canonical =
        "{\"e\":\"%s\",\"kty\":\"RSA\",\"n\":\"%s\"}"
            .formatted(
                base64Url(unsigned(key.getPublicExponent())),
                base64Url(unsigned(key.getModulus())));
    try {
      return base64Url(
          MessageDigest.getInstance("SHA-256")
              .digest(canonical.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** base64url without padding, as JOSE writes binary values. */
  public static String base64Url(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** The big-endian magnitude of {@code value}, without the sign byte BigInteger adds. */
  public static byte[] unsigned(BigInteger value) {
    byte[] bytes = value.toByteArray();
    return bytes.length > 1 && bytes[0] == 0 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
  }
}
