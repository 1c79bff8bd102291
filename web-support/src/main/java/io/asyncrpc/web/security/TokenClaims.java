package io.asyncrpc.web.security;

import io.asyncrpc.token.TokenNames;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * The claims of ca-service's tokens the services rely on beyond the standard ones, and their check:
 * a token without a well-formed {@code sub} and {@code tenant}, or not meant for the API ({@code
 * aud}), is invalid.
 */
public final class TokenClaims implements OAuth2TokenValidator<Jwt> {

  /** The shape of client ids and tenants in {@code api_clients}. */
  private static final Pattern NAME = Pattern.compile("^[A-Za-z0-9_.-]{1,64}$");

  private final String audience;

  public TokenClaims(String audience) {
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
    if (!matches(jwt.getClaimAsString(TokenNames.TENANT_CLAIM))) {
      errors.add(invalid("the token has no valid tenant"));
    }
    return errors.isEmpty()
        ? OAuth2TokenValidatorResult.success()
        : OAuth2TokenValidatorResult.failure(errors);
  }

  /** The token's scopes, from its space-separated {@code scope} claim. */
  public static Set<String> scopes(Jwt jwt) {
    String scope = jwt.getClaimAsString(TokenNames.SCOPE_CLAIM);
    return scope == null
        ? Set.of()
        : Arrays.stream(scope.split(" "))
            .filter(s -> !s.isBlank())
            .collect(Collectors.toUnmodifiableSet());
  }

  /** The token's tenant, which a valid token always has. */
  public static String tenant(Jwt jwt) {
    String tenant = jwt.getClaimAsString(TokenNames.TENANT_CLAIM);
    if (tenant == null) {
      throw new IllegalStateException("a verified token without a tenant");
    }
    return tenant;
  }

  private static boolean matches(@Nullable String value) {
    return value != null && NAME.matcher(value).matches();
  }

  private static OAuth2Error invalid(String description) {
    return new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN, description, null);
  }
}
