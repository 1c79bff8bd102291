package io.asyncrpc.web.security;

import io.asyncrpc.web.Problems;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.BearerTokenErrorCodes;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import tools.jackson.databind.json.JsonMapper;

/**
 * 401 and 403 as RFC 9457 problems, like every other error of a service, with the RFC 6750 {@code
 * WWW-Authenticate: Bearer ...} header Spring Security's bearer handlers compute; and 503 when a
 * token cannot be checked at all because the signing keys (ca-service's JWKS) cannot be fetched.
 */
public final class ProblemSecurityHandlers
    implements AuthenticationEntryPoint, AccessDeniedHandler, AuthenticationFailureHandler {

  private static final Logger log = LoggerFactory.getLogger(ProblemSecurityHandlers.class);

  private final AuthenticationEntryPoint bearerEntryPoint =
      new BearerTokenAuthenticationEntryPoint();
  private final AccessDeniedHandler bearerDenied = new BearerTokenAccessDeniedHandler();
  private final JsonMapper json;
  private final String retryAfterSeconds;

  public ProblemSecurityHandlers(JsonMapper json, String retryAfterSeconds) {
    this.json = json;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /**
   * A failed bearer authentication. Spring Security's own handler rethrows an {@link
   * AuthenticationServiceException} (the keys could not be fetched: not the caller's fault), which
   * ends as a bare 500; here it is a 503 the caller may retry, and everything else a 401.
   */
  @Override
  public void onAuthenticationFailure(
      HttpServletRequest request, HttpServletResponse response, AuthenticationException ex)
      throws IOException, ServletException {
    if (!(ex instanceof AuthenticationServiceException)) {
      commence(request, response, ex);
      return;
    }
    log.warn("Bearer token not checked, the signing keys are unavailable: {}", ex.getMessage());
    response.setStatus(HttpStatus.SERVICE_UNAVAILABLE.value());
    response.setHeader(HttpHeaders.RETRY_AFTER, retryAfterSeconds);
    write(
        response,
        Problems.of(
            HttpStatus.SERVICE_UNAVAILABLE,
            "service-unavailable",
            "Service unavailable",
            "the token cannot be checked now: its signing keys cannot be fetched; retry later",
            List.of()));
  }

  @Override
  public void commence(
      HttpServletRequest request, HttpServletResponse response, AuthenticationException ex)
      throws IOException, ServletException {
    bearerEntryPoint.commence(request, response, ex);
    // A header that is no bearer token at all is refused by the resolver with invalid_token too.
    boolean invalid =
        ex instanceof InvalidBearerTokenException
            || (ex instanceof OAuth2AuthenticationException oauth
                && BearerTokenErrorCodes.INVALID_TOKEN.equals(oauth.getError().getErrorCode()));
    write(
        response,
        Problems.of(
            HttpStatus.UNAUTHORIZED,
            invalid ? "invalid-token" : "unauthorized",
            invalid ? "Invalid token" : "Unauthorized",
            invalid
                ? "the bearer token is invalid: " + ex.getMessage()
                : "a bearer token is required: get one from POST /oauth/token",
            List.of()));
  }

  @Override
  public void handle(
      HttpServletRequest request, HttpServletResponse response, AccessDeniedException ex)
      throws IOException, ServletException {
    bearerDenied.handle(request, response, ex);
    write(
        response,
        Problems.of(
            HttpStatus.FORBIDDEN,
            "insufficient-scope",
            "Insufficient scope",
            "the token's scopes do not allow "
                + request.getMethod()
                + " "
                + request.getRequestURI(),
            List.of()));
  }

  private void write(HttpServletResponse response, ProblemDetail problem) throws IOException {
    response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
    json.writeValue(response.getOutputStream(), problem);
  }
}
