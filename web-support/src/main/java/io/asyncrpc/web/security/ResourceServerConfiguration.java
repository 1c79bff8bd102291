package io.asyncrpc.web.security;

import io.asyncrpc.web.WebSupportProperties;
import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
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
 * A service that accepts control-center tokens imports this and declares only its routes' scopes
 * ({@link #bearerOnly}); the token check, its settings ({@link TokenCheckProperties}) and the
 * problems of a refused request are the same everywhere. An import rather than an
 * auto-configuration: ca-service has the resource-server library too, but checks its own tokens
 * against its own key.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TokenCheckProperties.class)
public class ResourceServerConfiguration {

  /**
   * The chain of a bearer-only service: no sessions, cookies, forms or CSRF (nothing to forge
   * without cookies), RS256 JWTs from {@link #jwtDecoder}, and every refusal a problem (401, 403,
   * or 503 when the signing keys cannot be fetched). Health (for orchestrators) and the error page
   * are public; {@code routes} says what else is and which scope each route needs.
   */
  public static SecurityFilterChain bearerOnly(
      HttpSecurity http,
      ProblemSecurityHandlers problems,
      Customizer<
              AuthorizeHttpRequestsConfigurer<HttpSecurity>
                  .AuthorizationManagerRequestMatcherRegistry>
          routes)
      throws Exception {
    http.csrf(csrf -> csrf.disable())
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .httpBasic(basic -> basic.disable())
        .formLogin(form -> form.disable())
        .logout(logout -> logout.disable())
        .requestCache(cache -> cache.disable())
        .authorizeHttpRequests(
            auth -> {
              auth.requestMatchers("/actuator/health", "/actuator/health/**", "/error").permitAll();
              routes.customize(auth);
            })
        .oauth2ResourceServer(
            oauth ->
                oauth
                    .bearerTokenResolver(new BearerHeaderTokens())
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
  JwtDecoder jwtDecoder(TokenCheckProperties properties) {
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

  /** The strict firewall, its header rules checked without regular expressions. */
  @Bean
  WebSecurityCustomizer headerFirewall() {
    return web -> web.httpFirewall(HeaderFirewall.strict());
  }

  /**
   * No observations of Spring Security's own: it would wrap every filter of the chain, each
   * authentication and each authorization in one (a tenth of a request's CPU in the benchmark's
   * profile, for timers nobody reads; switching them off by an observation predicate still left the
   * wrapping). {@code http.server.requests} still times every request, outcome and status included.
   */
  @Bean
  SecurityObservationSettings noSecurityObservations() {
    return SecurityObservationSettings.noObservations();
  }

  @Bean
  ProblemSecurityHandlers problemSecurityHandlers(JsonMapper json, WebSupportProperties web) {
    return new ProblemSecurityHandlers(json, web.retryAfterHeader());
  }
}
