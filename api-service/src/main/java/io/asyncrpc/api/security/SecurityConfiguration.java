package io.asyncrpc.api.security;

import io.asyncrpc.token.Scopes;
import io.asyncrpc.web.security.ProblemSecurityHandlers;
import io.asyncrpc.web.security.ResourceServerConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

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
@Import(ResourceServerConfiguration.class)
public class SecurityConfiguration {

  @Bean
  SecurityFilterChain apiSecurity(HttpSecurity http, ProblemSecurityHandlers problems)
      throws Exception {
    return ResourceServerConfiguration.bearerOnly(
        http,
        problems,
        auth ->
            // Scraped on the internal network; nginx does not route /actuator at all.
            auth.requestMatchers("/actuator/prometheus")
                .permitAll()
                .requestMatchers(
                    "/swagger-ui.html", "/swagger-ui/**", "/v3/api-docs", "/v3/api-docs/**")
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
                .authenticated());
  }
}
