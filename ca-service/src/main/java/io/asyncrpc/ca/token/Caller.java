package io.asyncrpc.ca.token;

import java.util.List;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * The authenticated control-center client of the current request, from its JWT.
 *
 * @param clientId the token's {@code sub}
 * @param tenant the token's {@code tenant}; a caller only sees and changes its tenant's objects
 * @param scopes the token's scopes
 */
public record Caller(String clientId, String tenant, List<String> scopes) {

  /** The caller behind an authenticated request (a controller parameter). */
  public static Caller of(JwtAuthenticationToken authentication) {
    Jwt jwt = authentication.getToken();
    String scope = jwt.getClaimAsString("scope");
    return new Caller(
        jwt.getSubject(),
        jwt.getClaimAsString(TokenIssuer.TENANT_CLAIM),
        scope == null || scope.isBlank() ? List.of() : List.of(scope.trim().split(" +")));
  }

  public boolean holds(String scope) {
    return scopes.contains(scope);
  }
}
