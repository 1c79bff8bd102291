package io.asyncrpc.mcp.security;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * The claims of ca-service's tokens api-service relies on beyond the standard ones, checked here
 * alike, and their check: a token without a well-formed {@code sub} and {@code tenant}, or not
 * meant for this API ({@code aud}), is invalid.
 */
final class TokenClaims implements OAuth2TokenValidator<Jwt> {

  static final String TENANT = "tenant";
  static final String SCOPE = "scope";

  /** The shape of client ids and tenants in {@code api_clients}. */
  private static final Pattern NAME = Pattern.compile("^[A-Za-z0-9_.-]{1,64}$");

  private final String audience;

  TokenClaims(String audience) {
    this.audience = audience;
  }

  @Override
  public OAuth2TokenValidatorResult validate(Jwt jwt) {
    List<OAuth2Error> errors = new ArrayList<>();
    List<String> aud = jwt.getAudience();
    if (aud == null || !aud.contains(audience)) {
      errors.add(invalid("the token is not meant for the API (aud)"));
    }
    if (!matches(jwt.getSubject())) {
      errors.add(invalid("the token has no valid client id (sub)"));
    }
    if (!matches(jwt.getClaimAsString(TENANT))) {
      errors.add(invalid("the token has no valid tenant"));
    }
    return errors.isEmpty()
        ? OAuth2TokenValidatorResult.success()
        : OAuth2TokenValidatorResult.failure(errors);
  }

  private static boolean matches(String value) {
    return value != null && NAME.matcher(value).matches();
  }

  private static OAuth2Error invalid(String description) {
    return new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN, description, null);
  }
}
