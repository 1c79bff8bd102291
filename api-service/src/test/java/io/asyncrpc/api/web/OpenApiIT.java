package io.asyncrpc.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncrpc.testsupport.ApiClient;
import io.asyncrpc.testsupport.ApiClient.Answer;
import io.asyncrpc.testsupport.InfrastructureConfiguration;
import io.asyncrpc.testsupport.TestTokensConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The OpenAPI document and Swagger UI are served and describe the wire format. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import({InfrastructureConfiguration.class, TestTokensConfiguration.class})
class OpenApiIT {

  @LocalServerPort int port;
  @Autowired JsonMapper json;

  @Test
  void documentListsEveryEndpointInSnakeCase() {
    Answer doc = ApiClient.local(port, null).get("/v3/api-docs");

    assertThat(doc.status()).isEqualTo(200);
    JsonNode paths = doc.body().path("paths");
    assertThat(paths.has("/api/v1/tasks")).isTrue();
    assertThat(paths.path("/api/v1/tasks").has("post")).isTrue();
    assertThat(paths.path("/api/v1/tasks").has("get")).isTrue();
    assertThat(paths.path("/api/v1/tasks/{id}").has("get")).isTrue();
    assertThat(paths.path("/api/v1/tasks/{id}").has("delete")).isTrue();
    assertThat(paths.has("/api/v1/tasks/{id}/events")).isTrue();
    assertThat(paths.path("/api/v1/devices").has("post")).isTrue();
    assertThat(paths.path("/api/v1/devices").has("get")).isTrue();
    assertThat(paths.has("/api/v1/devices/{id}")).isTrue();
    assertThat(paths.path("/api/v1/devices").path("get").path("parameters"))
        .anySatisfy(
            parameter -> {
              assertThat(parameter.path("name").asString()).isEqualTo("tag");
              assertThat(parameter.path("in").asString()).isEqualTo("query");
              assertThat(parameter.path("schema").path("type").asString()).isEqualTo("array");
            });
    assertThat(paths.path("/api/v1/tasks").path("get").path("parameters"))
        .anySatisfy(
            parameter -> {
              assertThat(parameter.path("name").asString()).isEqualTo("status");
              assertThat(parameter.path("schema").path("items").path("enum"))
                  .extracting(JsonNode::asString)
                  .contains("DONE", "FAILED");
            });
    assertThat(
            doc.body()
                .path("components")
                .path("securitySchemes")
                .path("bearer-jwt")
                .path("scheme")
                .asString())
        .isEqualTo("bearer");
    JsonNode clientCredentials =
        doc.body().path("components").path("securitySchemes").path("client-credentials");
    assertThat(clientCredentials.path("type").asString()).isEqualTo("oauth2");
    assertThat(
            clientCredentials.path("flows").path("clientCredentials").path("tokenUrl").asString())
        .isEqualTo("/oauth/token");
    assertThat(
            clientCredentials
                .path("flows")
                .path("clientCredentials")
                .path("scopes")
                .propertyNames())
        .containsExactlyInAnyOrder("tasks:read", "tasks:write", "devices:admin", "webhooks:admin");
    JsonNode createTask = doc.body().path("components").path("schemas").path("CreateTask");
    assertThat(createTask.path("properties").has("device_id")).isTrue();
    assertThat(createTask.path("properties").has("deviceId")).isFalse();
    assertThat(
            doc.body()
                .path("components")
                .path("schemas")
                .path("Task")
                .path("properties")
                .has("deadline_at"))
        .isTrue();
  }

  @Test
  void swaggerUiIsServed() {
    Answer ui = ApiClient.local(port, null).get("/swagger-ui/index.html");

    assertThat(ui.status()).isEqualTo(200);
  }
}
