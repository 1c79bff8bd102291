package io.asyncrpc.web.security;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.BearerTokenErrors;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;

/**
 * The bearer token of the {@code Authorization} header (RFC 6750 §2.1), the only place our clients
 * send it: the same acceptance as Spring Security's default resolver with its query and form
 * parameters off, checked by a loop instead of a case-insensitive regular expression. That regex,
 * run over a 700-character RS256 token on every request, was about a twentieth of api-service's CPU
 * per request in the benchmark's profile.
 *
 * <p>No header, or one of another scheme, is no token (the request is anonymous and its route
 * decides); {@code Bearer} with anything but a token68 after one space is a malformed token (401
 * {@code invalid_token}).
 */
public final class BearerHeaderTokens implements BearerTokenResolver {

  private static final String SCHEME = "Bearer ";

  @Override
  public @Nullable String resolve(HttpServletRequest request) {
    String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
    if (authorization == null || !authorization.regionMatches(true, 0, "bearer", 0, 6)) {
      return null;
    }
    if (!authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())
        || !isToken68(authorization, SCHEME.length())) {
      throw new OAuth2AuthenticationException(
          BearerTokenErrors.invalidToken("Bearer token is malformed"));
    }
    return authorization.substring(SCHEME.length());
  }

  /** RFC 6750's b64token from {@code start} to the end: 1*( ALPHA / DIGIT / "-._~+/" ) *"=". */
  static boolean isToken68(String value, int start) {
    int end = value.length();
    int padding = end;
    while (padding > start && value.charAt(padding - 1) == '=') {
      padding--;
    }
    if (padding == start) {
      return false;
    }
    for (int i = start; i < padding; i++) {
      if (!isTokenChar(value.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isTokenChar(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '.'
        || c == '_'
        || c == '~'
        || c == '+'
        || c == '/';
  }
}
