package io.asyncrpc.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.security.OAuthFlow;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.util.TestPropertyValues;

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

  @Test
  void aTokenUrlOffersTheClientCredentialsFlowBesideTheBearerScheme() {
    // Not withPropertyValues: it would split "scopes[tasks:read]" at its colon.
    TestPropertyValues properties =
        TestPropertyValues.empty()
            .and(
                Map.of(
                    "iot.web.openapi.bearer-description", "Paste a token.",
                    "iot.web.openapi.token-url", "/oauth/token",
                    "iot.web.openapi.scopes[tasks:read]", "read tasks",
                    "iot.web.openapi.scopes[tasks:write]", "create tasks")
                    .entrySet()
                    .stream(),
                e -> TestPropertyValues.Pair.of(e.getKey(), e.getValue()));
    runner
        .withInitializer(properties::applyTo)
        .run(
            context -> {
              OpenAPI api = context.getBean(OpenAPI.class);
              SecurityScheme scheme =
                  api.getComponents()
                      .getSecuritySchemes()
                      .get(OpenApiConfiguration.CLIENT_CREDENTIALS);
              assertThat(scheme.getType()).isEqualTo(SecurityScheme.Type.OAUTH2);
              OAuthFlow flow = scheme.getFlows().getClientCredentials();
              assertThat(flow.getTokenUrl()).isEqualTo("/oauth/token");
              assertThat(flow.getScopes())
                  .containsExactly(
                      Map.entry("tasks:read", "read tasks"),
                      Map.entry("tasks:write", "create tasks"));
              assertThat(api.getComponents().getSecuritySchemes())
                  .containsKey(OpenApiConfiguration.BEARER);
              assertThat(api.getSecurity())
                  .as("either scheme authorizes")
                  .hasSize(2)
                  .anySatisfy(requirement -> assertThat(requirement).containsKey("bearer-jwt"))
                  .anySatisfy(
                      requirement -> assertThat(requirement).containsKey("client-credentials"));
            });
  }
}
