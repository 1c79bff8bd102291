package io.asyncrpc.mcp.security;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.Principal;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.client.RestTemplate;

/**
 * The server checks every request's token itself, as api-service does (RS256 from ca-service's
 * JWKS, {@code iss}, {@code aud}, {@code sub}, {@code tenant}): it may be reached inside the
 * network without the edge. {@code /mcp} needs a valid token; which tool a token may use is decided
 * per tool by its scopes ({@link Caller}), since all tools share one endpoint.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

  @Bean
  SecurityFilterChain mcpSecurity(HttpSecurity http) throws Exception {
    BearerTokenAuthenticationEntryPoint entryPoint = new BearerTokenAuthenticationEntryPoint();
    BearerTokenAccessDeniedHandler denied = new BearerTokenAccessDeniedHandler();
    http.csrf(csrf -> csrf.disable()) // bearer tokens only, no cookies: nothing to forge
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .httpBasic(basic -> basic.disable())
        .formLogin(form -> form.disable())
        .logout(logout -> logout.disable())
        .requestCache(cache -> cache.disable())
        .authorizeHttpRequests(
            auth ->
                auth.requestMatchers("/actuator/health", "/actuator/health/**")
                    .permitAll()
                    .requestMatchers("/error")
                    .permitAll()
                    .anyRequest()
                    .authenticated())
        .oauth2ResourceServer(
            oauth ->
                oauth
                    .jwt(jwt -> {})
                    .authenticationEntryPoint(
                        (request, response, ex) -> {
                          entryPoint.commence(request, response, ex);
                          problem(response, "Unauthorized", "a valid bearer token is required");
                        })
                    .accessDeniedHandler(
                        (request, response, ex) -> {
                          denied.handle(request, response, ex);
                          problem(response, "Insufficient scope", ex.getMessage());
                        }));
    return http.build();
  }

  /** RS256 only, with api-service's claim checks ({@link TokenClaims}). */
  @Bean
  JwtDecoder jwtDecoder(SecurityProperties properties) {
    SimpleClientHttpRequestFactory requests = new SimpleClientHttpRequestFactory();
    requests.setConnectTimeout(properties.jwksTimeout());
    requests.setReadTimeout(properties.jwksTimeout());
    NimbusJwtDecoder decoder =
        NimbusJwtDecoder.withJwkSetUri(properties.jwkSetUri().toString())
            .jwsAlgorithm(SignatureAlgorithm.RS256)
            .restOperations(new RestTemplate(requests))
            .build();
    decoder.setJwtValidator(
        new DelegatingOAuth2TokenValidator<>(
            JwtValidators.createDefaultWithIssuer(properties.issuer()),
            new TokenClaims(properties.audience())));
    return decoder;
  }

  /** The caller of an authenticated request, or null when it has no bearer token. */
  public static @Nullable Caller callerOf(@Nullable Principal principal) {
    if (!(principal instanceof JwtAuthenticationToken authentication)) {
      return null;
    }
    Jwt jwt = authentication.getToken();
    String scope = jwt.getClaimAsString(TokenClaims.SCOPE);
    Set<String> scopes =
        scope == null
            ? Set.of()
            : Arrays.stream(scope.split(" "))
                .filter(s -> !s.isBlank())
                .collect(Collectors.toUnmodifiableSet());
    return new Caller(jwt.getTokenValue(), scopes);
  }

  private static void problem(HttpServletResponse response, String title, String detail)
      throws IOException {
    response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
    String json =
        "{\"type\":\"about:blank\",\"title\":\"%s\",\"status\":%d,\"detail\":\"%s\"}"
            .formatted(title, response.getStatus(), detail.replace("\"", "'"));
    response.getWriter().write(json);
  }
}
