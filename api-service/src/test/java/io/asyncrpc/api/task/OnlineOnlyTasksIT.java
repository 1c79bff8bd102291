package io.asyncrpc.api.task;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncrpc.testsupport.ApiClient;
import io.asyncrpc.testsupport.ApiClient.Answer;
import io.asyncrpc.testsupport.InfrastructureConfiguration;
import io.asyncrpc.testsupport.TestTokens;
import io.asyncrpc.testsupport.TestTokensConfiguration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Online-only tasks ({@code "online_only": true}) against the real PostgreSQL: queued for an online
 * device, created finished as UNREACHABLE for an offline one.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import({InfrastructureConfiguration.class, TestTokensConfiguration.class})
class OnlineOnlyTasksIT {

  private static final String CLIENT = "it-client-" + UUID.randomUUID().toString().substring(0, 8);
  private static final String TENANT = "it-tenant-" + UUID.randomUUID().toString().substring(0, 8);

  @LocalServerPort int port;
  @Autowired JsonMapper json;
  @Autowired JdbcClient jdbc;

  private ApiClient api;
  private String device;

  @BeforeEach
  void registerADevice() {
    api =
        ApiClient.local(
            port,
            TestTokens.shared()
                .token(CLIENT, TENANT, "tasks:read", "tasks:write", "devices:admin"));
    device = "it-" + UUID.randomUUID().toString().substring(0, 13);
    assertThat(api.post("/api/v1/devices", "{\"id\":\"" + device + "\"}").status()).isEqualTo(201);
  }

  @Test
  void anOnlineOnlyTaskForAnOnlineDeviceIsQueuedLikeAnyOther() {
    online(true);

    Answer created = create(true);

    assertThat(created.status()).isEqualTo(202);
    assertThat(created.body().path("status").asString()).isEqualTo("QUEUED");
    assertThat(created.body().path("online_only").asBoolean()).isTrue();
    assertThat(created.body().path("finished_at").isNull()).isTrue();
    assertThat(created.body().path("progress").isNull()).isTrue();
    assertThat(api.get("/api/v1/tasks/" + created.text("id")).body()).isEqualTo(created.body());
    assertThat(events(created.text("id"))).containsExactly("null>QUEUED:CREATED");
  }

  @Test
  void anOnlineOnlyTaskForAnOfflineDeviceIsCreatedUnreachableAndTold() {
    Answer created = create(true);

    // 200 with the finished task once the controller maps CreatedTask.unreachable() to it.
    assertThat(created.status()).isEqualTo(200);
    String id = created.text("id");
    assertThat(created.body().path("status").asString()).isEqualTo("UNREACHABLE");
    assertThat(created.body().path("online_only").asBoolean()).isTrue();
    assertThat(created.text("finished_at")).isEqualTo(created.text("created_at"));
    assertThat(api.get("/api/v1/tasks/" + id).body()).isEqualTo(created.body());
    assertThat(events(id)).containsExactly("null>UNREACHABLE:DEVICE_OFFLINE");
    assertThat(
            jdbc.sql("SELECT tenant, type, device_id FROM tenant_events WHERE task_id = ?::uuid")
                .param(id)
                .query()
                .listOfRows())
        .containsExactly(Map.of("tenant", TENANT, "type", "task.finished", "device_id", device));
    assertThat(
            jdbc.sql("SELECT count(*) FROM outbox WHERE aggregate_id = ?::uuid")
                .param(id)
                .query(Long.class)
                .single())
        .as("nothing for the core to deliver")
        .isZero();
  }

  @Test
  void aTaskThatIsNotOnlineOnlyWaitsForAnOfflineDevice() {
    Answer created = create(false);

    assertThat(created.status()).isEqualTo(202);
    assertThat(created.body().path("status").asString()).isEqualTo("QUEUED");
    assertThat(created.body().path("online_only").asBoolean()).isFalse();
  }

  @Test
  void aRetryWithAnotherOnlineOnlyIsAnotherRequest() {
    online(true);
    String key = "key-" + UUID.randomUUID();
    Answer first = create(true, Map.of("Idempotency-Key", key));
    Answer again = create(true, Map.of("Idempotency-Key", key));
    Answer other = create(false, Map.of("Idempotency-Key", key));

    assertThat(again.body()).isEqualTo(first.body());
    assertThat(other.status()).isEqualTo(409);
  }

  private Answer create(boolean onlineOnly) {
    return create(onlineOnly, Map.of());
  }

  private Answer create(boolean onlineOnly, Map<String, String> headers) {
    return api.post(
        "/api/v1/tasks",
        """
        {"device_id":"%s","method_code":"door.open","online_only":%s}"""
            .formatted(device, onlineOnly),
        headers);
  }

  // Presence is core-service's: here the registry row is set as it would.
  private void online(boolean online) {
    jdbc.sql("UPDATE devices SET online = ?, connected_at = now() WHERE id = ?")
        .params(online, device)
        .update();
  }

  private List<String> events(String id) {
    return jdbc.sql(
            "SELECT coalesce(from_status, 'null') || '>' || to_status || ':' || cause"
                + " FROM task_events WHERE task_id = ?::uuid ORDER BY id")
        .param(id)
        .query(String.class)
        .list();
  }
}
