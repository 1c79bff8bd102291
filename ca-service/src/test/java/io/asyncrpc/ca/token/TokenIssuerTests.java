package io.asyncrpc.ca.token;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import io.asyncrpc.ca.TestPki;
import io.asyncrpc.ca.pki.PkiProperties;
import io.asyncrpc.token.Scopes;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tests for {@link TokenIssuer} and {@link SigningKey}: what a client's JWT says. */
class TokenIssuerTests {

  private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

  @Test
  void signsAnRs256TokenWithTheClaimsOfTheClient() throws Exception {
    SigningKey key = signingKey();
    TokenIssuer issuer =
        new TokenIssuer(
            key,
            new TokenProperties("the-ca", "the-api", Duration.ofMinutes(15), Duration.ZERO),
            Clock.fixed(NOW, ZoneOffset.UTC));

    IssuedToken token =
        issuer.issue(
            new AuthenticatedClient("app-1", "acme", Scopes.ALL),
            List.of(Scopes.TASKS_READ, Scopes.TASKS_WRITE));

    assertThat(token.tokenType()).isEqualTo("Bearer");
    assertThat(token.expiresIn()).isEqualTo(900);
    assertThat(token.scope()).isEqualTo("tasks:read tasks:write");
    SignedJWT jwt = SignedJWT.parse(token.accessToken());
    assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
    assertThat(jwt.getHeader().getKeyID()).isEqualTo(key.keyId());
    RSAKey published =
        (RSAKey) JWKSet.parse(key.publicJwks()).getKeyByKeyId(jwt.getHeader().getKeyID());
    assertThat(published.isPrivate()).isFalse();
    assertThat(jwt.verify(new RSASSAVerifier(published))).isTrue();
    var claims = jwt.getJWTClaimsSet();
    assertThat(claims.getIssuer()).isEqualTo("the-ca");
    assertThat(claims.getAudience()).containsExactly("the-api");
    assertThat(claims.getSubject()).isEqualTo("app-1");
    assertThat(claims.getStringClaim("tenant")).isEqualTo("acme");
    assertThat(claims.getStringClaim("scope")).isEqualTo("tasks:read tasks:write");
    assertThat(claims.getIssueTime().toInstant()).isEqualTo(NOW);
    assertThat(claims.getNotBeforeTime().toInstant()).isEqualTo(NOW);
    assertThat(claims.getExpirationTime().toInstant()).isEqualTo(NOW.plusSeconds(900));
    assertThat(claims.getJWTID()).isNotBlank();
  }

  @Test
  void theKeyIdIsTheThumbprintAndTheJwksHasNoPrivatePart() {
    SigningKey key = signingKey();

    var jwks = key.publicJwks();

    assertThat(jwks.toString()).doesNotContain("\"d\"").doesNotContain(" d=");
    @SuppressWarnings("unchecked")
    var first = ((List<java.util.Map<String, Object>>) jwks.get("keys")).getFirst();
    assertThat(first)
        .containsEntry("kid", key.keyId())
        .containsEntry("alg", "RS256")
        .containsEntry("use", "sig")
        .containsEntry("kty", "RSA")
        .doesNotContainKey("d");
  }

  private static SigningKey signingKey() {
    TestPki pki = TestPki.shared();
    return new SigningKey(
        new PkiProperties(
            pki.dir(), URI.create("http://x/crl"), Duration.ofDays(1), Duration.ofDays(1)));
  }
}
