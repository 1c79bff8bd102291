package io.asyncrpc.api.device;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncrpc.testsupport.ApiClient;
import io.asyncrpc.testsupport.ApiClient.Answer;
import io.asyncrpc.testsupport.InfrastructureConfiguration;
import io.asyncrpc.testsupport.TestTokens;
import io.asyncrpc.testsupport.TestTokensConfiguration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Device tags against the real PostgreSQL: set at registration, changed by merge patch, listed by
 * tag within the tenant; bad tags are 400 problems that change nothing.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import({InfrastructureConfiguration.class, TestTokensConfiguration.class})
class DeviceTagsIT {

  @LocalServerPort int port;
  @Autowired JsonMapper json;

  private ApiClient api;
  private String run;

  @BeforeEach
  void client() {
    api = client("it-tags-" + UUID.randomUUID().toString().substring(0, 8));
    run = UUID.randomUUID().toString().substring(0, 8);
  }

  @Test
  void tagsSetAtRegistrationAreShownAndSelectDevices() {
    String canary = register("{\"site\":\"berlin-2\",\"ring\":\"canary\",\"run\":\"%s\"}");
    String stable = register("{\"site\":\"berlin-2\",\"ring\":\"stable\",\"run\":\"%s\"}");
    register("{\"site\":\"paris-1\",\"ring\":\"canary\",\"run\":\"%s\"}");

    JsonNode shown = api.get("/api/v1/devices/" + canary).body().path("tags");
    assertThat(shown.path("site").asString()).isEqualTo("berlin-2");
    assertThat(shown.path("ring").asString()).isEqualTo("canary");

    assertThat(ids("tag=run:" + run + "&tag=site:berlin-2")).containsExactly(stable, canary);
    assertThat(ids("tag=run:" + run + "&tag=site:berlin-2&tag=ring:canary"))
        .containsExactly(canary);
    assertThat(ids("tag=run:" + run + "&tag=site:nowhere")).isEmpty();
  }

  /** Verifies that a tag value with a comma is one selector, not split into two. */
  @Test
  void aTagValueWithACommaSelectsItsDevice() {
    String id = register("{\"loc\":\"Berlin, %s\"}");

    // Alone: a single value is where Spring's binding to a List splits at commas.
    assertThat(ids("tag=loc:Berlin, " + run)).containsExactly(id);
    assertThat(ids("tag=loc:Berlin")).isEmpty();
  }

  @Test
  void aMergePatchSetsAndRemovesTagsAndKeepsTheRest() {
    String id = register("{\"site\":\"berlin-2\",\"ring\":\"canary\",\"run\":\"%s\"}");

    Answer patched =
        patch(id, "{\"display_name\":\"Relay 7\",\"tags\":{\"ring\":\"stable\",\"site\":null}}");

    assertThat(patched.status()).isEqualTo(200);
    assertThat(patched.text("display_name")).isEqualTo("Relay 7");
    JsonNode tags = patched.body().path("tags");
    assertThat(tags.path("ring").asString()).isEqualTo("stable");
    assertThat(tags.has("site")).isFalse();
    assertThat(tags.path("run").asString()).isEqualTo(run);
    assertThat(ids("tag=run:" + run + "&tag=ring:stable")).containsExactly(id);

    Answer cleared = patch(id, "{\"display_name\":null}");
    assertThat(cleared.body().path("display_name").isNull()).isTrue();
    assertThat(cleared.body().path("tags").path("ring").asString()).isEqualTo("stable");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"tags\":{\"bad key\":\"v\"}}",
        "{\"tags\":{\"k:v\":\"v\"}}",
        "{\"tags\":{\"k\":\"\"}}",
        "{\"tags\":{\"k\":7}}",
        "{\"tags\":[\"k\"]}",
        "{\"colour\":\"red\"}",
        "{\"display_name\":5}"
      })
  void badPatchesAreProblemsAndChangeNothing(String body) {
    String id = register("{\"ring\":\"canary\",\"run\":\"%s\"}");

    Answer refused = patch(id, body);

    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.problemType()).isEqualTo("urn:iot-async-rpc:problem:validation-failed");
    assertThat(api.get("/api/v1/devices/" + id).body().path("tags").path("ring").asString())
        .isEqualTo("canary");
  }

  @Test
  void tooManyOrTooLongTagsAreRefusedAtRegistration() {
    StringBuilder many = new StringBuilder("{");
    for (int i = 0; i < 33; i++) {
      many.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":\"v\"");
    }
    many.append('}');
    for (String tags : List.of(many.toString(), "{\"k\":\"" + "x".repeat(129) + "\"}")) {
      String id = "it-tag-" + UUID.randomUUID().toString().substring(0, 13);
      Answer refused =
          api.post("/api/v1/devices", "{\"id\":\"%s\",\"tags\":%s}".formatted(id, tags));
      assertThat(refused.status()).isEqualTo(400);
      assertThat(api.get("/api/v1/devices/" + id).status()).isEqualTo(404);
    }
  }

  @Test
  void badSelectorsAreProblems() {
    for (String selector : List.of("ring", "ring:", ":canary", "bad%20key:v")) {
      assertThat(api.get("/api/v1/devices?tag=" + selector).status()).as(selector).isEqualTo(400);
    }
  }

  @Test
  void anotherTenantNeitherListsNorPatchesTheDevice() {
    String id = register("{\"ring\":\"canary\",\"run\":\"%s\"}");
    ApiClient other = client("it-other-" + run);

    assertThat(other.get("/api/v1/devices?tag=run:" + run).body().path("items").isEmpty()).isTrue();
    assertThat(
            other
                .send("PATCH", "/api/v1/devices/" + id, "{\"tags\":{\"ring\":\"x\"}}", Map.of())
                .status())
        .isEqualTo(404);
    assertThat(api.get("/api/v1/devices/" + id).body().path("tags").path("ring").asString())
        .isEqualTo("canary");
  }

  private String register(String tagsTemplate) {
    String id = "it-tag-" + UUID.randomUUID().toString().substring(0, 13);
    Answer created =
        api.post(
            "/api/v1/devices",
            "{\"id\":\"%s\",\"tags\":%s}".formatted(id, tagsTemplate.formatted(run)));
    assertThat(created.status()).as(String.valueOf(created.body())).isEqualTo(201);
    return id;
  }

  private Answer patch(String id, String body) {
    return api.send("PATCH", "/api/v1/devices/" + id, body, Map.of());
  }

  private List<String> ids(String query) {
    // The client sends the query as given: a space (in a tag value) is encoded here.
    Answer page = api.get("/api/v1/devices?" + query.replace(" ", "%20"));
    assertThat(page.status()).as(String.valueOf(page.body())).isEqualTo(200);
    List<String> ids = new ArrayList<>();
    page.body().path("items").forEach(d -> ids.add(d.path("id").asString()));
    return ids;
  }

  private ApiClient client(String tenant) {
    return ApiClient.local(
        port, TestTokens.shared().token("it-client", tenant, "tasks:read", "devices:admin"));
  }
}
