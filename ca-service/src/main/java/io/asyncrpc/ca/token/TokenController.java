package io.asyncrpc.ca.token;

import io.asyncrpc.token.Scopes;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The OAuth2 token endpoint (client credentials grant) and the public key set. */
@RestController
@Tag(name = "tokens", description = "OAuth2 client credentials and the JWT verification keys")
// Public: the document lists no security here, so Swagger UI sends no token.
@SecurityRequirements
class TokenController {

  private final ClientAuthenticator clients;
  private final TokenIssuer issuer;
  private final SigningKey key;

  TokenController(ClientAuthenticator clients, TokenIssuer issuer, SigningKey key) {
    this.clients = clients;
    this.issuer = issuer;
    this.key = key;
  }

  @Operation(
      summary = "Exchange client credentials for an RS256 access token",
      description =
          "RFC 6749 client credentials grant. Credentials by HTTP Basic or the form fields"
              + " client_id and client_secret (not both). Without scope, every scope of the"
              + " client is granted.")
  @PostMapping(path = "/oauth/token", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
  ResponseEntity<IssuedToken> token(
      @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false)
          @Nullable String authorization,
      @RequestParam(name = "grant_type", required = false) @Nullable String grantType,
      @RequestParam(name = "client_id", required = false) @Nullable String clientId,
      @RequestParam(name = "client_secret", required = false) @Nullable String clientSecret,
      @RequestParam(name = "scope", required = false) @Nullable String scope) {
    if (grantType == null || grantType.isBlank()) {
      throw OAuthException.invalidRequest("grant_type is required (client_credentials)");
    }
    if (!"client_credentials".equals(grantType)) {
      throw OAuthException.unsupportedGrantType(grantType);
    }
    String[] credentials = credentials(authorization, clientId, clientSecret);
    AuthenticatedClient client =
        clients
            .authenticate(credentials[0], credentials[1])
            .orElseThrow(OAuthException::invalidClient);
    IssuedToken token = issuer.issue(client, grantedScopes(client, scope));
    // RFC 6749 section 5.1: token responses must not be cached.
    return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(token);
  }

  @Operation(summary = "The public keys that verify the access tokens (JWKS)")
  @GetMapping(path = "/.well-known/jwks.json", produces = MediaType.APPLICATION_JSON_VALUE)
  Map<String, Object> jwks() {
    return key.publicJwks();
  }

  private static String[] credentials(
      @Nullable String authorization, @Nullable String clientId, @Nullable String clientSecret) {
    String basic =
        authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)
            ? authorization.substring(6).trim()
            : null;
    boolean form = clientId != null || clientSecret != null;
    if (basic != null && form) {
      throw OAuthException.invalidRequest("give the client credentials once: HTTP Basic or form");
    }
    if (basic != null) {
      String decoded;
      try {
        decoded = new String(Base64.getDecoder().decode(basic), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw OAuthException.invalidClient();
      }
      int colon = decoded.indexOf(':');
      if (colon < 0) {
        throw OAuthException.invalidClient();
      }
      // RFC 6749 section 2.3.1: both parts are form-urlencoded inside Basic.
      return new String[] {
        java.net.URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
        java.net.URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8)
      };
    }
    if (clientId == null || clientSecret == null) {
      throw OAuthException.invalidClient();
    }
    return new String[] {clientId, clientSecret};
  }

  private static List<String> grantedScopes(AuthenticatedClient client, @Nullable String scope) {
    if (scope == null || scope.isBlank()) {
      return client.scopes();
    }
    List<String> requested = Arrays.stream(scope.trim().split(" +")).distinct().toList();
    List<String> refused = requested.stream().filter(s -> !client.scopes().contains(s)).toList();
    if (!refused.isEmpty()) {
      throw OAuthException.invalidScope("the client does not hold " + String.join(" ", refused));
    }
    return Scopes.ALL.stream().filter(requested::contains).toList();
  }
}
