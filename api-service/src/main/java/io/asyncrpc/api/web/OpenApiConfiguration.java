package io.asyncrpc.api.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The OpenAPI document: Swagger UI at {@code /swagger-ui.html}, JSON at {@code /v3/api-docs}. */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

  /** The name of the bearer scheme in the document. */
  static final String BEARER = "bearer-jwt";

  @Bean
  OpenAPI apiInfo() {
    return new OpenAPI()
        .components(
            new Components()
                .addSecuritySchemes(
                    BEARER,
                    new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP)
                        .scheme("bearer")
                        .bearerFormat("JWT")
                        .description(
                            """
                            RS256 JWT from ca-service: POST /oauth/token with \
                            grant_type=client_credentials. Scopes: tasks:read (GET tasks, \
                            devices), tasks:write (POST/DELETE tasks), devices:admin (POST \
                            devices). A client sees only its tenant's devices and tasks.""")))
        .addSecurityItem(new SecurityRequirement().addList(BEARER))
        .info(
            new Info()
                .title("IoT Async-RPC Core API")
                .version("v1")
                .description(
                    """
                    Send work to devices and get results back, asynchronously: create a task \
                    (202), then poll it. JSON fields are snake_case; absent values are null. \
                    Errors are RFC 9457 problems (application/problem+json) whose type is \
                    urn:iot-async-rpc:problem:<slug>; 401 and 403 too, with \
                    WWW-Authenticate: Bearer.""")
                .license(new License().name("Apache-2.0")));
  }

  /**
   * springdoc describes schemas with its own (Jackson 2) mapper, which does not see the service's
   * snake_case naming; give it the same naming so the document matches the wire.
   */
  @Bean
  ModelResolver snakeCaseModelResolver() {
    ObjectMapper mapper =
        Json.mapper().copy().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
    return new ModelResolver(mapper);
  }
}
