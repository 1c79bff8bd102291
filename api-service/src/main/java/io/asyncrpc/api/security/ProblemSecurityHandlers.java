package io.asyncrpc.api.security;

import io.asyncrpc.api.web.Problems;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import tools.jackson.databind.json.JsonMapper;

/**
 * 401 and 403 as RFC 9457 problems, like every other error of the API, with the RFC 6750 {@code
 * WWW-Authenticate: Bearer ...} header Spring Security's bearer handlers compute.
 */
final class ProblemSecurityHandlers implements AuthenticationEntryPoint, AccessDeniedHandler {

  private final AuthenticationEntryPoint bearerEntryPoint =
      new BearerTokenAuthenticationEntryPoint();
  private final AccessDeniedHandler bearerDenied = new BearerTokenAccessDeniedHandler();
  private final JsonMapper json;

  ProblemSecurityHandlers(JsonMapper json) {
    this.json = json;
  }

  @Override
  public void commence(
      HttpServletRequest request, HttpServletResponse response, AuthenticationException ex)
      throws IOException, ServletException {
    bearerEntryPoint.commence(request, response, ex);
    boolean invalid = ex instanceof InvalidBearerTokenException;
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
