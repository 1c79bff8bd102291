package io.asyncrpc.ca.token;

import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.SecurityContext;
import io.asyncrpc.token.Scopes;
import io.asyncrpc.web.Problems;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import tools.jackson.databind.json.JsonMapper;

/**
 * Who may call what. Enrollment, the token endpoint, the JWKS and the CRL are public (a token, a
 * client secret or nothing secret authenticates them); the admin API needs a JWT of this service
 * with the right scope, checked against its own key, issuer and audience, as nginx checks it at the
 * edge (defence in depth).
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

  @Bean
  SecurityFilterChain securityFilterChain(HttpSecurity http, JwtDecoder decoder, JsonMapper json)
      throws Exception {
    AuthenticationEntryPoint unauthorized = unauthorized(json);
    AccessDeniedHandler forbidden = forbidden(json);
    http.csrf(csrf -> csrf.disable())
        .httpBasic(basic -> basic.disable())
        .formLogin(form -> form.disable())
        .logout(logout -> logout.disable())
        .requestCache(cache -> cache.disable())
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .authorizeHttpRequests(
            requests ->
                requests
                    .requestMatchers(HttpMethod.POST, "/oauth/token", "/enroll")
                    .permitAll()
                    .requestMatchers(HttpMethod.GET, "/.well-known/jwks.json", "/crl", "/crl.pem")
                    .permitAll()
                    .requestMatchers(
                        "/actuator/health/**",
                        "/actuator/health",
                        "/actuator/info",
                        // Scraped on the internal network; nginx does not route /actuator.
                        "/actuator/prometheus",
                        "/ca/v3/api-docs/**",
                        "/ca/v3/api-docs",
                        "/ca/swagger-ui/**",
                        "/ca/swagger-ui.html",
                        "/error")
                    .permitAll()
                    .requestMatchers("/api/v1/clients/**", "/api/v1/clients")
                    .hasAuthority(Scopes.authority(Scopes.CLIENTS_ADMIN))
                    .requestMatchers("/api/v1/identities/**", "/api/v1/certificates/**")
                    .hasAuthority(Scopes.authority(Scopes.DEVICES_ADMIN))
                    .anyRequest()
                    .authenticated())
        .oauth2ResourceServer(
            resource ->
                resource
                    .jwt(jwt -> jwt.decoder(decoder))
                    .authenticationEntryPoint(unauthorized)
                    .accessDeniedHandler(forbidden))
        .exceptionHandling(
            exceptions ->
                exceptions.authenticationEntryPoint(unauthorized).accessDeniedHandler(forbidden));
    return http.build();
  }

  /** Accepts only this service's own tokens: its key, RS256, issuer, audience, time and tenant. */
  @Bean
  JwtDecoder jwtDecoder(SigningKey key, TokenProperties properties) {
    NimbusJwtDecoder decoder =
        NimbusJwtDecoder.withJwkSource(new ImmutableJWKSet<SecurityContext>(key.publicKeys()))
            .jwsAlgorithm(SignatureAlgorithm.RS256)
            .build();
    decoder.setJwtValidator(
        new DelegatingOAuth2TokenValidator<>(
            new JwtTimestampValidator(properties.clockSkew()),
            new JwtIssuerValidator(properties.issuer()),
            required(
                "aud",
                jwt ->
                    jwt.getAudience() != null && jwt.getAudience().contains(properties.audience())),
            required("tenant", jwt -> hasText(jwt.getClaimAsString(TokenIssuer.TENANT_CLAIM))),
            required("sub", jwt -> hasText(jwt.getSubject()))));
    return decoder;
  }

  private static OAuth2TokenValidator<Jwt> required(
      String claim, java.util.function.Predicate<Jwt> test) {
    OAuth2Error error =
        new OAuth2Error("invalid_token", "the '" + claim + "' claim is missing or wrong", null);
    return jwt ->
        test.test(jwt)
            ? OAuth2TokenValidatorResult.success()
            : OAuth2TokenValidatorResult.failure(error);
  }

  private static boolean hasText(String value) {
    return value != null && !value.isBlank();
  }

  /** 401 with the RFC 6750 {@code WWW-Authenticate} header and a problem body. */
  private static AuthenticationEntryPoint unauthorized(JsonMapper json) {
    BearerTokenAuthenticationEntryPoint bearer = new BearerTokenAuthenticationEntryPoint();
    return (request, response, ex) -> {
      bearer.commence(request, response, ex);
      write(
          json,
          response,
          HttpStatus.UNAUTHORIZED,
          "unauthorized",
          "Unauthorized",
          "a valid bearer token of this service is required");
    };
  }

  /** 403 when the token lacks the scope the endpoint needs. */
  private static AccessDeniedHandler forbidden(JsonMapper json) {
    BearerTokenAccessDeniedHandler bearer = new BearerTokenAccessDeniedHandler();
    return (request, response, ex) -> {
      bearer.handle(request, response, ex);
      write(
          json,
          response,
          HttpStatus.FORBIDDEN,
          "insufficient-scope",
          "Insufficient scope",
          "the token lacks the scope this endpoint needs");
    };
  }

  private static void write(
      JsonMapper json,
      HttpServletResponse response,
      HttpStatus status,
      String slug,
      String title,
      String detail)
      throws IOException {
    ProblemDetail problem = Problems.of(status, slug, title, detail, List.of());
    response.setStatus(status.value());
    response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
    json.writeValue(response.getOutputStream(), problem);
  }
}
