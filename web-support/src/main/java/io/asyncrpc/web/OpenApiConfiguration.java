package io.asyncrpc.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.security.OAuthFlow;
import io.swagger.v3.oas.models.security.OAuthFlows;
import io.swagger.v3.oas.models.security.Scopes;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document: Swagger UI at {@code /swagger-ui.html}, JSON at {@code /v3/api-docs}; its
 * title, description and security schemes (a bearer JWT, OAuth2 client credentials) come from
 * {@link WebSupportProperties.OpenApi}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass({OpenAPI.class, ModelResolver.class})
class OpenApiConfiguration {

  /** The name of the bearer scheme in the document. */
  static final String BEARER = "bearer-jwt";

  /** The name of the OAuth2 client-credentials scheme in the document. */
  static final String CLIENT_CREDENTIALS = "client-credentials";

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
    Components components = new Components();
    // Either scheme authorizes (the requirements are alternatives): a pasted token, or one that
    // Swagger UI gets from the token endpoint with the client's id and secret.
    if (!doc.bearerDescription().isEmpty()) {
      components.addSecuritySchemes(
          BEARER,
          new SecurityScheme()
              .type(SecurityScheme.Type.HTTP)
              .scheme("bearer")
              .bearerFormat("JWT")
              .description(doc.bearerDescription()));
      api.addSecurityItem(new SecurityRequirement().addList(BEARER));
    }
    if (!doc.tokenUrl().isEmpty()) {
      Scopes scopes = new Scopes();
      doc.scopes().forEach(scopes::addString);
      components.addSecuritySchemes(
          CLIENT_CREDENTIALS,
          new SecurityScheme()
              .type(SecurityScheme.Type.OAUTH2)
              .description(
                  "OAuth2 client credentials: your client id and secret, exchanged at "
                      + doc.tokenUrl()
                      + " for an RS256 JWT")
              .flows(
                  new OAuthFlows()
                      .clientCredentials(new OAuthFlow().tokenUrl(doc.tokenUrl()).scopes(scopes))));
      api.addSecurityItem(new SecurityRequirement().addList(CLIENT_CREDENTIALS));
    }
    if (components.getSecuritySchemes() != null) {
      api.components(components);
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
