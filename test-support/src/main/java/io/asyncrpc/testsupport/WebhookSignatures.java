package io.asyncrpc.testsupport;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * A webhook receiver's signature check (Standard Webhooks), for the receivers of the tests, the
 * benchmark and the fault suite: with nothing of api-service's code, so a receiver checks what the
 * service sent as a real one would.
 */
public final class WebhookSignatures {

  private static final String SECRET_PREFIX = "whsec_";

  private WebhookSignatures() {}

  /**
   * Whether one of the space-separated {@code webhook-signature} values ({@code v1,<base64>}) is
   * the HMAC-SHA256 of {@code <id>.<timestamp>.<body>} keyed with the {@code whsec_} secret's
   * bytes. A missing header, a secret not yet known or a value that is not base64 does not verify.
   */
  public static boolean verifies(
      @Nullable String secret,
      @Nullable String id,
      @Nullable String timestamp,
      @Nullable String signatures,
      String body) {
    if (secret == null
        || !secret.startsWith(SECRET_PREFIX)
        || id == null
        || timestamp == null
        || signatures == null) {
      return false;
    }
    byte[] expected;
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(
          new SecretKeySpec(
              Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length())), "HmacSHA256"));
      expected = mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
    // One per secret in use; any that verifies is enough.
    for (String signature : signatures.split(" ")) {
      if (signature.startsWith("v1,")) {
        try {
          if (MessageDigest.isEqual(expected, Base64.getDecoder().decode(signature.substring(3)))) {
            return true;
          }
        } catch (IllegalArgumentException e) {
          // not base64: does not verify
        }
      }
    }
    return false;
  }
}
