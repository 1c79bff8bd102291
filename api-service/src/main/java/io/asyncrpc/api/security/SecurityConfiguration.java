package io.asyncrpc.api.security;

import io.asyncrpc.token.Scopes;
import io.asyncrpc.web.WebSupportProperties;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.client.RestTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The API is an OAuth2 resource server: every {@code /api/**} request needs an RS256 JWT from
 * ca-service, and each route a scope. nginx checks the same tokens first; this is the second check
 * (defence in depth), so a request that bypasses the edge gets nothing either.
 *
 * <p>Public: health (for orchestrators), the Prometheus scrape (counters and gauges, no task data),
 * the OpenAPI document and Swagger UI. Everything else of actuator needs {@code devices:admin}, and
 * nginx does not route {@code /actuator} at all.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

  @Bean
  SecurityFilterChain apiSecurity(HttpSecurity http, ProblemSecurityHandlers problems)
      throws Exception {
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
                    // Scraped on the internal network; nginx does not route /actuator at all.
                    .requestMatchers("/actuator/prometheus")
                    .permitAll()
                    .requestMatchers(
                        "/swagger-ui.html", "/swagger-ui/**", "/v3/api-docs", "/v3/api-docs/**")
                    .permitAll()
                    .requestMatchers("/error")
                    .permitAll()
                    .requestMatchers(HttpMethod.GET, "/api/v1/tasks", "/api/v1/tasks/**")
                    .hasAuthority(Scopes.authority(Scopes.TASKS_READ))
                    .requestMatchers(HttpMethod.GET, "/api/v1/events")
                    .hasAuthority(Scopes.authority(Scopes.TASKS_READ))
                    .requestMatchers(HttpMethod.GET, "/api/v1/jobs", "/api/v1/jobs/**")
                    .hasAuthority(Scopes.authority(Scopes.TASKS_READ))
                    .requestMatchers(HttpMethod.POST, "/api/v1/jobs", "/api/v1/jobs/*/cancel")
                    .hasAuthority(Scopes.authority(Scopes.TASKS_WRITE))
                    .requestMatchers(HttpMethod.POST, "/api/v1/tasks")
                    .hasAuthority(Scopes.authority(Scopes.TASKS_WRITE))
                    .requestMatchers(HttpMethod.DELETE, "/api/v1/tasks/*")
                    .hasAuthority(Scopes.authority(Scopes.TASKS_WRITE))
                    .requestMatchers(HttpMethod.POST, "/api/v1/devices")
                    .hasAuthority(Scopes.authority(Scopes.DEVICES_ADMIN))
                    .requestMatchers(HttpMethod.PATCH, "/api/v1/devices/*")
                    .hasAuthority(Scopes.authority(Scopes.DEVICES_ADMIN))
                    .requestMatchers(HttpMethod.GET, "/api/v1/devices", "/api/v1/devices/**")
                    .hasAnyAuthority(
                        Scopes.authority(Scopes.TASKS_READ), Scopes.authority(Scopes.DEVICES_ADMIN))
                    .requestMatchers("/api/v1/webhooks", "/api/v1/webhooks/**")
                    .hasAuthority(Scopes.authority(Scopes.WEBHOOKS_ADMIN))
                    .requestMatchers("/actuator/**")
                    .hasAuthority(Scopes.authority(Scopes.DEVICES_ADMIN))
                    // Other methods and paths: authenticated callers get the API's own 404/405.
                    .anyRequest()
                    .authenticated())
        .oauth2ResourceServer(
            oauth ->
                oauth
                    .jwt(jwt -> {})
                    .authenticationEntryPoint(problems)
                    .accessDeniedHandler(problems)
                    .withObjectPostProcessor(
                        new ObjectPostProcessor<BearerTokenAuthenticationFilter>() {
                          @Override
                          public <F extends BearerTokenAuthenticationFilter> F postProcess(
                              F filter) {
                            filter.setAuthenticationFailureHandler(problems);
                            return filter;
                          }
                        }))
        .exceptionHandling(
            handling -> handling.authenticationEntryPoint(problems).accessDeniedHandler(problems));
    return http.build();
  }

  /**
   * RS256 only (a token with any other {@code alg}, {@code none} included, is refused before its
   * signature is looked at), keys from the JWKS, and {@code exp}/{@code nbf} (60 s clock skew),
   * {@code iss}, {@code aud}, {@code sub} and {@code tenant} checked.
   */
  @Bean
  JwtDecoder jwtDecoder(SecurityProperties properties) {
    // Explicit timeouts: the library's own (half a second) turn a briefly busy ca-service into
    // failed requests.
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
    return new VerifiedTokens(decoder, properties.verifiedTokens(), Clock.systemUTC());
  }

  @Bean
  ProblemSecurityHandlers problemSecurityHandlers(JsonMapper json, WebSupportProperties web) {
    return new ProblemSecurityHandlers(json, web.retryAfterHeader());
  }
}
