package io.asyncrpc.ca.token;

import io.asyncrpc.web.ApiException;
import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * A token request refused as RFC 6749 section 5.2 says, in a problem that also carries the standard
 * {@code error} and {@code error_description} fields, so OAuth2 client libraries understand it.
 */
class OAuthException extends ApiException {

  private OAuthException(
      HttpStatus status, String error, String slug, String title, String detail) {
    super(
        status,
        slug,
        title,
        detail,
        java.util.List.of(),
        Map.of("error", error, "error_description", detail));
  }

  static OAuthException invalidClient() {
    return new OAuthException(
        HttpStatus.UNAUTHORIZED,
        "invalid_client",
        "invalid-client",
        "Invalid client",
        "unknown client, wrong secret or disabled client");
  }

  static OAuthException invalidRequest(String detail) {
    return new OAuthException(
        HttpStatus.BAD_REQUEST,
        "invalid_request",
        "invalid-token-request",
        "Invalid token request",
        detail);
  }

  static OAuthException unsupportedGrantType(String grantType) {
    return new OAuthException(
        HttpStatus.BAD_REQUEST,
        "unsupported_grant_type",
        "unsupported-grant-type",
        "Unsupported grant type",
        "grant_type must be client_credentials, not '" + grantType + "'");
  }

  static OAuthException invalidScope(String detail) {
    return new OAuthException(
        HttpStatus.BAD_REQUEST, "invalid_scope", "invalid-scope", "Invalid scope", detail);
  }
}
