package io.asyncrpc.web.security;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * Remembers tokens that passed the full check, so a client sending the same token on every request
 * (a status poll, a dashboard) pays the RS256 verification and claim checks once, not on each
 * request. A token is only ever taken from here by its exact text, and only before its {@code exp}:
 * a changed byte is a different key, and a token that failed is never stored.
 *
 * <p>The price: a token keeps working here until it expires even if its signing key is withdrawn
 * from the JWKS meanwhile (tokens live minutes; docs/security.md). The map is bounded: when full it
 * is emptied, so a flood of distinct tokens costs verification, never memory.
 */
public final class VerifiedTokens implements JwtDecoder {

  private final JwtDecoder verifier;
  private final int capacity;
  private final Clock clock;
  private final ConcurrentHashMap<String, Jwt> verified = new ConcurrentHashMap<>();

  public VerifiedTokens(JwtDecoder verifier, int capacity, Clock clock) {
    this.verifier = verifier;
    this.capacity = capacity;
    this.clock = clock;
  }

  @Override
  public Jwt decode(String token) throws JwtException {
    Jwt known = verified.get(token);
    if (known != null) {
      Instant expires = known.getExpiresAt();
      if (expires != null && clock.instant().isBefore(expires)) {
        return known;
      }
      verified.remove(token);
    }
    Jwt jwt = verifier.decode(token);
    if (jwt.getExpiresAt() != null && capacity > 0) {
      if (verified.size() >= capacity) {
        verified.clear();
      }
      verified.put(token, jwt);
    }
    return jwt;
  }

  int size() {
    return verified.size();
  }
}
