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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reading a device's events (as core-service stores them) against the real PostgreSQL: filters,
 * time range, cursor paging, the latest of each type, and tenant isolation.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import({InfrastructureConfiguration.class, TestTokensConfiguration.class})
class DeviceEventsApiIT {

  @LocalServerPort int port;
  @Autowired JsonMapper json;
  @Autowired JdbcClient jdbc;

  private ApiClient api;
  private ApiClient otherTenant;
  private String device;

  @BeforeEach
  void deviceWithEvents() {
    api = client("it-tenant-" + UUID.randomUUID().toString().substring(0, 8));
    otherTenant = client("it-other-" + UUID.randomUUID().toString().substring(0, 8));
    device = "it-evt-" + UUID.randomUUID().toString().substring(0, 13);
    assertThat(api.post("/api/v1/devices", "{\"id\":\"%s\"}".formatted(device)).status())
        .isEqualTo(201);
    // Types 13 and 14 alternate, one event a minute from 12:00; the payload tags as the seed's.
    for (int i = 1; i <= 6; i++) {
      jdbc.sql(
              """
              INSERT INTO device_events (device_id, event_type_code, dev_event_id, dev_timestamp,
                                         correlation, payload)
              VALUES (?, ?, ?, CAST(? AS timestamptz), 'c-' || ?, CAST(? AS jsonb))
              """)
          .params(
              device,
              i % 2 == 1 ? 13 : 14,
              i,
              "2026-11-25T12:0%d:00Z".formatted(i),
              i,
              "{\"101\": %d, \"200\": %d}".formatted(i, i % 2 == 1 ? 13 : 14))
          .update();
    }
  }

  @Test
  void listsEventsNewestFirstWithTheirPayloads() {
    Answer page = api.get("/api/v1/devices/" + device + "/events");

    assertThat(page.status()).isEqualTo(200);
    assertThat(ids(page)).containsExactly(6L, 5L, 4L, 3L, 2L, 1L);
    JsonNode newest = page.body().path("items").get(0);
    assertThat(newest.path("event_type_code").asLong()).isEqualTo(14);
    assertThat(newest.path("dev_timestamp").asString()).isEqualTo("2026-11-25T12:06:00Z");
    assertThat(newest.path("correlation").asString()).isEqualTo("c-6");
    assertThat(newest.path("payload").path("101").asInt()).isEqualTo(6);
  }

  @Test
  void filtersByTypeAndTimeRange() {
    assertThat(ids(api.get("/api/v1/devices/" + device + "/events?type=13")))
        .containsExactly(5L, 3L, 1L);
    assertThat(ids(api.get("/api/v1/devices/" + device + "/events?type=13&type=14"))).hasSize(6);
    assertThat(ids(api.get("/api/v1/devices/" + device + "/events?exclude_type=13")))
        .containsExactly(6L, 4L, 2L);
    assertThat(
            ids(
                api.get(
                    "/api/v1/devices/"
                        + device
                        + "/events?from=2026-11-25T12:02:00Z&to=2026-11-25T12:05:00Z")))
        .containsExactly(4L, 3L, 2L);
  }

  @Test
  void pagesWithACursorWithoutGapOrRepeat() {
    List<Long> seen = new ArrayList<>();
    String path = "/api/v1/devices/" + device + "/events?limit=4";
    Answer page = api.get(path);
    seen.addAll(ids(page));
    String next = page.body().path("next_cursor").asString();
    Answer last = api.get(path + "&cursor=" + next);
    seen.addAll(ids(last));

    assertThat(seen).containsExactly(6L, 5L, 4L, 3L, 2L, 1L);
    assertThat(last.body().path("next_cursor").isNull()).isTrue();
  }

  @Test
  void theStateIsTheLatestEventOfEachType() {
    Answer state = api.get("/api/v1/devices/" + device + "/state");

    assertThat(state.status()).isEqualTo(200);
    List<String> latest = new ArrayList<>();
    state
        .body()
        .path("latest")
        .forEach(
            e ->
                latest.add(
                    e.path("event_type_code").asLong() + ":" + e.path("dev_event_id").asLong()));
    assertThat(latest).containsExactly("13:5", "14:6");
  }

  @Test
  void anotherTenantsDeviceAndBadParametersAreProblems() {
    assertThat(otherTenant.get("/api/v1/devices/" + device + "/events").status()).isEqualTo(404);
    assertThat(otherTenant.get("/api/v1/devices/" + device + "/state").status()).isEqualTo(404);
    Answer from = api.get("/api/v1/devices/" + device + "/events?from=yesterday");
    assertThat(from.status()).isEqualTo(400);
    assertThat(from.text("detail"))
        .isEqualTo("parameter 'from' must be a timestamp such as 2026-01-31T12:00:00Z");
    Answer type = api.get("/api/v1/devices/" + device + "/events?type=13&type=x");
    assertThat(type.status()).isEqualTo(400);
    assertThat(type.text("detail"))
        .isEqualTo(
            "parameter 'type' must be an integer in each of its values (repeat it or separate"
                + " them with commas)");
    assertThat(api.get("/api/v1/devices/" + device + "/events?cursor=nope").status())
        .isEqualTo(400);
  }

  private ApiClient client(String tenant) {
    return ApiClient.local(
        port, TestTokens.shared().token("it-client", tenant, "tasks:read", "devices:admin"));
  }

  private static List<Long> ids(Answer page) {
    assertThat(page.status()).isEqualTo(200);
    List<Long> ids = new ArrayList<>();
    page.body().path("items").forEach(e -> ids.add(e.path("dev_event_id").asLong()));
    return ids;
  }
}
