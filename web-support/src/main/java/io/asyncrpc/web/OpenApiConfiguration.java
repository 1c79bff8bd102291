package io.asyncrpc.web;

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
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document: Swagger UI at {@code /swagger-ui.html}, JSON at {@code /v3/api-docs}; its
 * title, description and bearer scheme come from {@link WebSupportProperties.OpenApi}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass({OpenAPI.class, ModelResolver.class})
class OpenApiConfiguration {

  /** The name of the bearer scheme in the document. */
  static final String BEARER = "bearer-jwt";

  @Bean
  @ConditionalOnMissingBean
  OpenAPI apiInfo(WebSupportProperties properties) {
    WebSupportProperties.OpenApi doc = properties.openapi();
    OpenAPI api =
        new OpenAPI()
            .info(
                new Info()
                    .title(doc.title())
                    .version(doc.version())
                    .description(doc.description().isEmpty() ? null : doc.description())
                    .license(new License().name(doc.license())));
    if (!doc.bearerDescription().isEmpty()) {
      api.components(
              new Components()
                  .addSecuritySchemes(
                      BEARER,
                      new SecurityScheme()
                          .type(SecurityScheme.Type.HTTP)
                          .scheme("bearer")
                          .bearerFormat("JWT")
                          .description(doc.bearerDescription())))
          .addSecurityItem(new SecurityRequirement().addList(BEARER));
    }
    return api;
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
