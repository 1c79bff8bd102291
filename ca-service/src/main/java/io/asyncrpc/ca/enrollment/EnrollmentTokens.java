package io.asyncrpc.ca.enrollment;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import org.springframework.stereotype.Component;

/**
 * Makes one-time enrollment tokens: {@code et_} and 32 random bytes, base64url; stored as the
 * SHA-256 hex of the whole token.
 */
@Component
class EnrollmentTokens {

  /**
   * Begins every token made now. Base64url may begin with {@code -}, so a bare token could look
   * like an option on a command line ({@code --token --x...}); with the prefix it never does, and
   * it says what the string is. Tokens made before it (bare) still enroll: the stored hash is of
   * whatever the device presents, prefix or not.
   */
  static final String PREFIX = "et_";

  private final EnrollmentTokenRepository repository;
  private final EnrollmentProperties properties;
  private final SecureRandom random = new SecureRandom();
  private final Clock clock = Clock.systemUTC();

  EnrollmentTokens(EnrollmentTokenRepository repository, EnrollmentProperties properties) {
    this.repository = repository;
    this.properties = properties;
  }

  NewEnrollmentToken create(String deviceId) {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    Instant expiresAt =
        clock.instant().plus(properties.tokenValidity()).truncatedTo(ChronoUnit.MICROS);
    repository.insert(hash(token), deviceId, expiresAt);
    return new NewEnrollmentToken(token, deviceId, expiresAt);
  }

  /**
   * The stored form of a token. A fast hash is enough: the token has 256 random bits, so there is
   * nothing to brute-force, unlike a password.
   */
  static String hash(String token) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
