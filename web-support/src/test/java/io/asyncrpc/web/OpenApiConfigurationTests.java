package io.asyncrpc.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

/** Tests for {@link OpenApiConfiguration}: the service-specific parts come from properties. */
class OpenApiConfigurationTests {

  private final WebApplicationContextRunner runner =
      new WebApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(WebSupportAutoConfiguration.class));

  @Test
  void titleDescriptionAndVersionAreTheServices() {
    runner
        .withPropertyValues(
            "iot.web.openapi.title=Identities", "iot.web.openapi.description=What it does.")
        .run(
            context -> {
              OpenAPI api = context.getBean(OpenAPI.class);
              assertThat(api.getInfo().getTitle()).isEqualTo("Identities");
              assertThat(api.getInfo().getDescription()).isEqualTo("What it does.");
              assertThat(api.getInfo().getVersion()).isEqualTo("v1");
              assertThat(api.getInfo().getLicense().getName()).isEqualTo("Apache-2.0");
              assertThat(api.getComponents()).isNull();
              assertThat(api.getSecurity()).isNull();
            });
  }

  @Test
  void aBearerDescriptionMakesEveryOperationRequireABearerJwt() {
    runner
        .withPropertyValues("iot.web.openapi.bearer-description=Get one from POST /oauth/token.")
        .run(
            context -> {
              OpenAPI api = context.getBean(OpenAPI.class);
              SecurityScheme scheme =
                  api.getComponents().getSecuritySchemes().get(OpenApiConfiguration.BEARER);
              assertThat(scheme.getType()).isEqualTo(SecurityScheme.Type.HTTP);
              assertThat(scheme.getScheme()).isEqualTo("bearer");
              assertThat(scheme.getBearerFormat()).isEqualTo("JWT");
              assertThat(scheme.getDescription()).isEqualTo("Get one from POST /oauth/token.");
              assertThat(api.getSecurity())
                  .singleElement()
                  .satisfies(requirement -> assertThat(requirement).containsKey("bearer-jwt"));
            });
  }
}
