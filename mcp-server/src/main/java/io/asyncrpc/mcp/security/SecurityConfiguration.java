package io.asyncrpc.mcp.security;

import io.asyncrpc.web.security.ProblemSecurityHandlers;
import io.asyncrpc.web.security.ResourceServerConfiguration;
import io.asyncrpc.web.security.TokenClaims;
import java.security.Principal;
import org.jspecify.annotations.Nullable;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The server checks every request's token itself, as api-service does and with its rules ({@link
 * ResourceServerConfiguration}): it may be reached inside the network without the edge. {@code
 * /mcp} needs a valid token; which tool a token may use is decided per tool by its scopes ({@link
 * Caller}), since all tools share one endpoint.
 */
@Configuration(proxyBeanMethods = false)
@Import(ResourceServerConfiguration.class)
public class SecurityConfiguration {

  @Bean
  SecurityFilterChain mcpSecurity(HttpSecurity http, ProblemSecurityHandlers problems)
      throws Exception {
    return ResourceServerConfiguration.bearerOnly(
        http, problems, auth -> auth.anyRequest().authenticated());
  }

  /** The caller of an authenticated request, or null when it has no bearer token. */
  public static @Nullable Caller callerOf(@Nullable Principal principal) {
    if (!(principal instanceof JwtAuthenticationToken authentication)) {
      return null;
    }
    return new Caller(
        authentication.getToken().getTokenValue(), TokenClaims.scopes(authentication.getToken()));
  }
}
