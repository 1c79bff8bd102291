package io.asyncrpc.ca.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The OpenAPI document: Swagger UI at {@code /swagger-ui.html}, JSON at {@code /v3/api-docs}. */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

  @Bean
  OpenAPI apiInfo() {
    return new OpenAPI()
        .info(
            new Info()
                .title("IoT Async-RPC Core identities (ca-service)")
                .version("v1")
                .description(
                    """
                    Device identities and client credentials: enrollment tokens, CSR \
                    enrollment, server-generated bundles, revocation with a CRL, and OAuth2 \
                    client-credentials JWTs (RS256, keys at /.well-known/jwks.json). JSON fields \
                    are snake_case. Errors are RFC 9457 problems (application/problem+json) \
                    whose type is urn:iot-async-rpc:problem:<slug>.""")
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
