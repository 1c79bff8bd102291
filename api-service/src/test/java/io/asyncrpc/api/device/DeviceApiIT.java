package io.asyncrpc.api.device;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncrpc.testsupport.ApiClient;
import io.asyncrpc.testsupport.ApiClient.Answer;
import io.asyncrpc.testsupport.InfrastructureConfiguration;
import io.asyncrpc.testsupport.TestTokens;
import io.asyncrpc.testsupport.TestTokensConfiguration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/** The device registry against the real PostgreSQL. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import({InfrastructureConfiguration.class, TestTokensConfiguration.class})
class DeviceApiIT {

  private static final String PROBLEM = "urn:iot-async-rpc:problem:";

  @LocalServerPort int port;
  @Autowired JsonMapper json;
  @Autowired JdbcClient jdbc;

  private ApiClient api;

  @BeforeEach
  void client() {
    api =
        ApiClient.local(
            port,
            TestTokens.shared()
                .token(
                    "it-client",
                    "it-tenant-" + UUID.randomUUID().toString().substring(0, 8),
                    "tasks:read",
                    "devices:admin"));
  }

  @Test
  void registersAndShowsADeviceWithItsPresence() {
    String id = newId();

    Answer created =
        api.post("/api/v1/devices", "{\"id\":\"%s\",\"display_name\":\"Boiler\"}".formatted(id));

    assertThat(created.status()).isEqualTo(201);
    assertThat(created.location()).hasToString("/api/v1/devices/" + id);
    assertThat(created.text("display_name")).isEqualTo("Boiler");
    assertThat(created.body().path("online").asBoolean()).isFalse();

    // core-service maintains presence; the API shows what it wrote.
    jdbc.sql(
            "UPDATE devices SET online = true, connected_at = now(), last_seen_at = now()"
                + " WHERE id = ?")
        .param(id)
        .update();
    Answer fetched = api.get("/api/v1/devices/" + id);
    assertThat(fetched.status()).isEqualTo(200);
    assertThat(fetched.body().path("online").asBoolean()).isTrue();
    assertThat(fetched.body().path("connected_at").isNull()).isFalse();
    assertThat(fetched.body().path("last_seen_at").isNull()).isFalse();
  }

  @Test
  void showsTheProtocolTheDeviceDeclared() {
    String id = newId();

    Answer created = api.post("/api/v1/devices", "{\"id\":\"%s\"}".formatted(id));

    assertThat(created.body().path("protocol_version").asInt()).isEqualTo(1);
    assertThat(created.body().path("protocol_declared_at").isNull()).isTrue();

    // core-service records what the device declares on its requests (protocol=2).
    jdbc.sql("UPDATE devices SET protocol_version = 2, protocol_declared_at = now() WHERE id = ?")
        .param(id)
        .update();
    Answer fetched = api.get("/api/v1/devices/" + id);

    assertThat(fetched.body().path("protocol_version").asInt()).isEqualTo(2);
    assertThat(fetched.body().path("protocol_declared_at").isNull()).isFalse();
  }

  @Test
  void aSecondRegistrationIsAConflictAndKeepsTheFirst() {
    String id = newId();
    api.post("/api/v1/devices", "{\"id\":\"%s\",\"display_name\":\"first\"}".formatted(id));

    Answer again =
        api.post("/api/v1/devices", "{\"id\":\"%s\",\"display_name\":\"second\"}".formatted(id));

    assertThat(again.status()).isEqualTo(409);
    assertThat(again.problemType()).isEqualTo(PROBLEM + "device-exists");
    assertThat(api.get("/api/v1/devices/" + id).text("display_name")).isEqualTo("first");
  }

  @Test
  void aMalformedIdIsRefusedAndChangesNothing() {
    String id = newId() + ".x";

    Answer response = api.post("/api/v1/devices", "{\"id\":\"%s\"}".formatted(id));

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.problemType()).isEqualTo(PROBLEM + "validation-failed");
    assertThat(
            jdbc.sql("SELECT count(*) FROM devices WHERE id = ?")
                .param(id)
                .query(Long.class)
                .single())
        .isZero();
  }

  @Test
  void anUnknownDeviceIsNotFound() {
    Answer response = api.get("/api/v1/devices/" + newId());

    assertThat(response.status()).isEqualTo(404);
    assertThat(response.problemType()).isEqualTo(PROBLEM + "device-not-found");
  }

  @Test
  void listsNewestFirstWithCursorPaging() {
    List<String> mine = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String id = newId();
      api.post("/api/v1/devices", "{\"id\":\"%s\"}".formatted(id));
      mine.add(id);
    }

    // Other tests share the database: walk pages until all three are seen, then check their order.
    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      Answer page =
          api.get("/api/v1/devices?limit=2" + (cursor == null ? "" : "&cursor=" + cursor));
      assertThat(page.status()).isEqualTo(200);
      assertThat(page.body().path("items").size()).isLessThanOrEqualTo(2);
      page.body().path("items").forEach(d -> seen.add(d.path("id").asString()));
      cursor = page.body().path("next_cursor").isNull() ? null : page.text("next_cursor");
      pages++;
    } while (cursor != null && !seen.containsAll(mine) && pages < 1000);

    assertThat(seen).doesNotHaveDuplicates();
    assertThat(seen.stream().filter(mine::contains).toList())
        .containsExactlyElementsOf(mine.reversed());
  }

  private static String newId() {
    return "it-dev-" + UUID.randomUUID().toString().substring(0, 13);
  }
}
