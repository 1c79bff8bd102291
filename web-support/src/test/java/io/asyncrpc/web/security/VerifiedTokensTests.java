package io.asyncrpc.web.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asyncrpc.testsupport.TestTokens;
import io.asyncrpc.token.TokenNames;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/** Tests for {@link VerifiedTokens}. */
class VerifiedTokensTests {

  private static final Instant NOW = Instant.parse("2026-12-02T05:00:00Z");

  private final AtomicInteger verifications = new AtomicInteger();
  private Instant now = NOW;
  private final Clock clock =
      new Clock() {
        @Override
        public ZoneOffset getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return now;
        }
      };

  /** A verifier that accepts tokens named "good-..." until 15 minutes after NOW. */
  private final JwtDecoder verifier =
      token -> {
        verifications.incrementAndGet();
        if (!token.startsWith("good")) {
          throw new BadJwtException("bad signature");
        }
        return Jwt.withTokenValue(token)
            .header("alg", "RS256")
            .subject("client")
            .issuedAt(NOW)
            .expiresAt(NOW.plus(Duration.ofMinutes(15)))
            .build();
      };

  @Test
  void aTokenSentAgainIsVerifiedOnce() {
    VerifiedTokens tokens = new VerifiedTokens(verifier, 100, clock);

    Jwt first = tokens.decode("good-1");
    Jwt again = tokens.decode("good-1");

    assertThat(again).isSameAs(first);
    assertThat(verifications).hasValue(1);
  }

  @Test
  void aFailedTokenIsNeverRememberedAndFailsEveryTime() {
    VerifiedTokens tokens = new VerifiedTokens(verifier, 100, clock);

    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> tokens.decode("bad-1")).isInstanceOf(BadJwtException.class);
    }
    assertThat(verifications).hasValue(2);
    assertThat(tokens.size()).isZero();
  }

  @Test
  void anExpiredTokenIsVerifiedAgainNotServedFromMemory() {
    VerifiedTokens tokens = new VerifiedTokens(verifier, 100, clock);
    tokens.decode("good-1");

    now = NOW.plus(Duration.ofMinutes(15));
    tokens.decode("good-1");

    assertThat(verifications).hasValue(2);
  }

  @Test
  void aFullMemoryIsEmptiedNotGrown() {
    VerifiedTokens tokens = new VerifiedTokens(verifier, 3, clock);
    for (int i = 0; i < 10; i++) {
      tokens.decode("good-" + i);
    }
    assertThat(tokens.size()).isLessThanOrEqualTo(3);
  }

  @Test
  void capacityZeroVerifiesEveryRequest() {
    VerifiedTokens tokens = new VerifiedTokens(verifier, 0, clock);
    tokens.decode("good-1");
    tokens.decode("good-1");
    assertThat(verifications).hasValue(2);
  }

  @Test
  void aTokenWithOneChangedByteIsNotTheRememberedOne() {
    TestTokens keys = TestTokens.generate();
    NimbusJwtDecoder real =
        NimbusJwtDecoder.withPublicKey(
                (java.security.interfaces.RSAPublicKey) publicKey(keys.publicKeyPem()))
            .build();
    VerifiedTokens tokens = new VerifiedTokens(real, 100, Clock.systemUTC());
    String token = keys.token("client", "tenant", "tasks:read");
    tokens.decode(token);

    String tampered =
        TestTokens.withPayload(token, TestTokens.payloadOf(token).replace("tenant", "tenanx"));

    assertThatThrownBy(() -> tokens.decode(tampered)).isInstanceOf(BadJwtException.class);
    assertThat(tokens.decode(token).getClaimAsString(TokenNames.TENANT_CLAIM)).isEqualTo("tenant");
  }

  private static java.security.PublicKey publicKey(String pem) {
    try {
      byte[] der =
          java.util.Base64.getMimeDecoder()
              .decode(pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", ""));
      return java.security.KeyFactory.getInstance("RSA")
          .generatePublic(new java.security.spec.X509EncodedKeySpec(der));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
