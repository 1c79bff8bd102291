package io.asyncrpc.api.security;

import io.asyncrpc.web.security.TokenClaims;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.stereotype.Component;

/** The one place features ask who the caller is; it reads the verified token of the request. */
@Component
public class CurrentCaller {

  /** The caller of the current request; fails if the request was not authenticated by a JWT. */
  public Caller get() {
    Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
    if (!(authentication instanceof JwtAuthenticationToken token)) {
      // Every API route requires a token (SecurityConfiguration), so this is a wiring error.
      throw new IllegalStateException("no JWT-authenticated caller in this request");
    }
    Jwt jwt = token.getToken();
    return new Caller(jwt.getSubject(), TokenClaims.tenant(jwt), TokenClaims.scopes(jwt));
  }
}
