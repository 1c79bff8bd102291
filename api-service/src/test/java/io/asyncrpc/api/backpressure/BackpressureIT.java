package io.asyncrpc.api.backpressure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.asyncrpc.api.RunningApi;
import io.asyncrpc.testsupport.ApiClient;
import io.asyncrpc.testsupport.ApiClient.Answer;
import io.asyncrpc.testsupport.BrokerAlarm;
import io.asyncrpc.testsupport.Endpoints;
import io.asyncrpc.testsupport.Infrastructure;
import io.asyncrpc.testsupport.TcpProxy;
import io.asyncrpc.testsupport.TestTokens;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Backpressure against real faults: PostgreSQL cut off from this api-service (a TCP proxy between
 * them is cut, the shared database keeps running) and a real RabbitMQ memory alarm. The API answers
 * {@code 503} with {@code Retry-After} and a problem instead of hanging (every request has a
 * timeout, which fails the test if it passes), and recovers on its own when the fault clears.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BackpressureIT {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String UNAVAILABLE = "urn:iot-async-rpc:problem:service-unavailable";

  private TcpProxy database;
  private RunningApi api;
  private ApiClient client;
  private String device;

  @BeforeAll
  void startTheServiceBehindAProxy() {
    Endpoints endpoints = Infrastructure.endpoints();
    URI jdbc = URI.create(endpoints.jdbcUrl().substring("jdbc:".length()));
    database = TcpProxy.to(jdbc.getHost(), jdbc.getPort());
    String proxied =
        "jdbc:postgresql://127.0.0.1:"
            + database.port()
            + jdbc.getRawPath()
            + (jdbc.getRawQuery() == null ? "" : "?" + jdbc.getRawQuery());
    api =
        RunningApi.start(
            Map.of(
                "spring.datasource.url", proxied,
                // The table: the tasks accepted while blocked wait as outbox rows, tested below.
                "iot.outbox.task-created", "table",
                "iot.outbox.grace-period", "500ms",
                "iot.outbox.relay-interval", "300ms",
                "iot.outbox.confirm-timeout", "2s"));
    String tenant = "backpressure-" + UUID.randomUUID().toString().substring(0, 8);
    client =
        ApiClient.local(
            api.port(),
            TestTokens.shared()
                .token("bp-client", tenant, "tasks:read", "tasks:write", "devices:admin"));
    device = "bp-" + UUID.randomUUID().toString().substring(0, 8);
    assertThat(client.post("/api/v1/devices", "{\"id\":\"" + device + "\"}", Map.of()).status())
        .isEqualTo(201);
  }

  @AfterAll
  void stop() {
    if (api != null) {
      api.close();
    }
    if (database != null) {
      database.close();
    }
  }

  @Test
  void withTheDatabaseCutOffEveryRequestIsA503WithRetryAfterAndTheServiceRecovers() {
    String task = createTask().orElseThrow();
    List<Supplier<Answer>> requests =
        List.of(
            () -> client.post("/api/v1/tasks", taskBody(), Map.of()),
            () -> client.get("/api/v1/tasks/" + task),
            () -> client.get("/api/v1/tasks?device_id=" + device),
            () -> client.get("/api/v1/tasks/" + task + "/events"),
            () -> client.delete("/api/v1/tasks/" + task),
            () ->
                client.post(
                    "/api/v1/devices",
                    "{\"id\":\"bp-" + UUID.randomUUID().toString().substring(0, 8) + "\"}",
                    Map.of()),
            () -> client.get("/api/v1/devices/" + device));

    database.cut();
    try {
      for (Supplier<Answer> request : requests) {
        assertUnavailable(request.get());
      }
    } finally {
      database.restore();
    }

    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(300))
        .until(() -> client.get("/api/v1/tasks/" + task).status() == 200);
    assertThat(createTask()).isPresent();
    assertThat(JSON.readTree(client.get("/api/v1/tasks/" + task).text()).path("status").asString())
        .as("the DELETE during the outage changed nothing")
        .isEqualTo("QUEUED");
  }

  @Test
  void duringABrokerMemoryAlarmNewTasksAreA503WithRetryAfterAndTheServiceRecovers() {
    Optional<BrokerAlarm> control = BrokerAlarm.forTestBroker();
    Assumptions.assumeTrue(control.isPresent(), "rabbitmqctl of the test broker is not reachable");
    List<String> accepted = new ArrayList<>();
    String readable = createTask().orElseThrow();
    Answer refused;
    try (BrokerAlarm alarm = control.get()) {
      alarm.raiseMemoryAlarm();
      // RabbitMQ blocks a connection when it next publishes: the first tasks are still accepted
      // (their events wait in the outbox), then the API sees the block and refuses new tasks.
      refused =
          await()
              .atMost(Duration.ofSeconds(60))
              .pollInterval(Duration.ofMillis(500))
              .until(
                  () -> {
                    Answer answer = client.post("/api/v1/tasks", taskBody(), Map.of());
                    if (answer.status() == 202) {
                      accepted.add(JSON.readTree(answer.text()).path("id").asString());
                    }
                    return answer;
                  },
                  answer -> answer.status() == 503);
      assertUnavailable(refused);
      assertThat(JSON.readTree(refused.text()).path("detail").asString()).contains("broker");
      assertThat(client.get("/api/v1/tasks/" + readable).status())
          .as("reads do not need the broker")
          .isEqualTo(200);
      assertThat(client.delete("/api/v1/tasks/" + readable).status())
          .as("a cancel does not need the broker")
          .isEqualTo(200);
    }

    String after =
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(500))
            .until(this::createTask, Optional::isPresent)
            .orElseThrow();
    accepted.add(after);
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () ->
                assertThat(
                        api.jdbc()
                            .sql("SELECT count(*) FROM outbox WHERE aggregate_id::text IN (:ids)")
                            .param("ids", accepted)
                            .query(Long.class)
                            .single())
                    .as("events of the tasks accepted around the alarm are published")
                    .isZero());
  }

  private Optional<String> createTask() {
    Answer answer = client.post("/api/v1/tasks", taskBody(), Map.of());
    if (answer.status() != 202) {
      return Optional.empty();
    }
    JsonNode task = JSON.readTree(answer.text());
    return Optional.of(task.path("id").asString());
  }

  private String taskBody() {
    return "{\"device_id\":\"%s\",\"method_code\":\"bp.test\",\"ttl\":60}".formatted(device);
  }

  private static void assertUnavailable(Answer answer) {
    assertThat(answer.status()).as(answer.text()).isEqualTo(503);
    assertThat(answer.isProblem()).as(answer.contentType()).isTrue();
    assertThat(answer.retryAfter())
        .hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isPositive());
    assertThat(JSON.readTree(answer.text()).path("type").asString()).isEqualTo(UNAVAILABLE);
  }
}
