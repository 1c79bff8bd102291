package io.asyncrpc.ca.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.asyncrpc.token.TokenNames;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/** Signs the RS256 access tokens of control-center clients. */
@Component
public class TokenIssuer {

  /** The claim that carries the client's tenant. */
  public static final String TENANT_CLAIM = TokenNames.TENANT_CLAIM;

  private final SigningKey key;
  private final TokenProperties properties;
  private final Clock clock;

  @Autowired
  public TokenIssuer(SigningKey key, TokenProperties properties) {
    this(key, properties, Clock.systemUTC());
  }

  TokenIssuer(SigningKey key, TokenProperties properties, Clock clock) {
    this.key = key;
    this.properties = properties;
    this.clock = clock;
  }

  /** A token for {@code client} carrying {@code scopes} (a subset of the client's). */
  public IssuedToken issue(AuthenticatedClient client, List<String> scopes) {
    Instant now = clock.instant();
    Instant expires = now.plus(properties.ttl());
    String scope = String.join(" ", scopes);
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .issuer(properties.issuer())
            .audience(properties.audience())
            .subject(client.id())
            .claim(TENANT_CLAIM, client.tenant())
            .claim(TokenNames.SCOPE_CLAIM, scope)
            .issueTime(Date.from(now))
            .notBeforeTime(Date.from(now))
            .expirationTime(Date.from(expires))
            .jwtID(UUID.randomUUID().toString())
            .build();
    JWSHeader header =
        new JWSHeader.Builder(JWSAlgorithm.RS256)
            .keyID(key.keyId())
            .type(JOSEObjectType.JWT)
            .build();
    SignedJWT jwt = new SignedJWT(header, claims);
    try {
      jwt.sign(new RSASSASigner(key.jwk()));
    } catch (JOSEException e) {
      throw new IllegalStateException("signing a token failed", e);
    }
    return new IssuedToken(jwt.serialize(), "Bearer", properties.ttl().toSeconds(), scope);
  }
}
