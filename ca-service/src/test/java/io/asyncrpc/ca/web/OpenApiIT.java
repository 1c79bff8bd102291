package io.asyncrpc.ca.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncrpc.ca.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;

/**
 * ca-service's OpenAPI document and Swagger UI, under {@code /ca} (the edge routes them there), as
 * a client meets them through the edge: with its forwarded headers.
 */
class OpenApiIT extends IntegrationTest {

  @Test
  void throughTheEdgeTheDocumentNamesTheEdgeAsItsServerAndOffersClientCredentials() {
    // Read directly first: the document is cached, its server must not be.
    JsonNode direct =
        json.readTree(client().get().uri("/ca/v3/api-docs").retrieve().body(String.class));
    assertThat(direct.path("servers").get(0).path("url").asString())
        .isEqualTo("http://127.0.0.1:" + port);

    ResponseEntity<String> answer =
        client()
            .get()
            .uri("/ca/v3/api-docs")
            .header("X-Forwarded-Proto", "https")
            .header("X-Forwarded-Host", "edge.example:9443")
            .header("X-Forwarded-Port", "9443")
            .retrieve()
            .toEntity(String.class);

    assertThat(answer.getStatusCode().value()).isEqualTo(200);
    JsonNode doc = json.readTree(answer.getBody());
    assertThat(doc.path("servers"))
        .singleElement()
        .satisfies(
            server ->
                assertThat(server.path("url").asString()).isEqualTo("https://edge.example:9443"));
    JsonNode schemes = doc.path("components").path("securitySchemes");
    assertThat(schemes.path("bearer-jwt").path("scheme").asString()).isEqualTo("bearer");
    JsonNode flow = schemes.path("client-credentials").path("flows").path("clientCredentials");
    assertThat(flow.path("tokenUrl").asString()).isEqualTo("/oauth/token");
    assertThat(flow.path("scopes").propertyNames())
        .containsExactlyInAnyOrder("devices:admin", "clients:admin");
    JsonNode paths = doc.path("paths");
    assertThat(paths.path("/oauth/token").path("post").path("security").isArray())
        .as("the token endpoint is public: no scheme, so Swagger UI sends no token")
        .isTrue();
    assertThat(paths.path("/oauth/token").path("post").path("security")).isEmpty();
    assertThat(paths.path("/enroll").path("post").path("security")).isEmpty();
    assertThat(paths.path("/api/v1/clients").path("post").has("security"))
        .as("the admin endpoints keep the document's schemes")
        .isFalse();
  }

  @Test
  void swaggerUiIsServedUnderCaAndReadsThatDocument() {
    ResponseEntity<String> ui =
        client().get().uri("/ca/swagger-ui/index.html").retrieve().toEntity(String.class);
    ResponseEntity<String> config =
        client().get().uri("/ca/v3/api-docs/swagger-config").retrieve().toEntity(String.class);

    assertThat(ui.getStatusCode().value()).isEqualTo(200);
    assertThat(config.getStatusCode().value()).isEqualTo(200);
    assertThat(json.readTree(config.getBody()).path("url").asString()).isEqualTo("/ca/v3/api-docs");
  }

  private RestClient client() {
    return RestClient.builder()
        .baseUrl("http://127.0.0.1:" + port)
        .defaultStatusHandler(HttpStatusCode::isError, (request, response) -> {})
        .build();
  }
}
