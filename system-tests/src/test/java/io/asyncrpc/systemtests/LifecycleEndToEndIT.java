package io.asyncrpc.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.asyncrpc.testsupport.ApiClient;
import io.asyncrpc.testsupport.Endpoints;
import io.asyncrpc.testsupport.Infrastructure;
import io.asyncrpc.testsupport.process.ServiceProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Verifies the seed's lifecycle the way a user meets it: api-service, core-service and device
 * agents run as separate processes on the real PostgreSQL and RabbitMQ (MQTT 5), and a
 * control-center app creates tasks over REST and polls them until they end.
 */
class LifecycleEndToEndIT {

  private static final Duration LIFECYCLE = Duration.ofSeconds(45);

  private static ApiAndCore services;
  private static ApiClient client;

  private final List<ServiceProcess> agents = new ArrayList<>();

  @BeforeAll
  static void startServices() {
    services = ApiAndCore.start();
    client = services.client();
  }

  @AfterAll
  static void stopServices() {
    if (services != null) {
      services.close();
    }
  }

  @AfterEach
  void stopAgents() {
    agents.forEach(ServiceProcess::close);
  }

  @Test
  void taskCreatedOverRestEndsDoneWithTheAgentsResult() {
    String device = registerDevice();
    ServiceProcess agent = startAgent(device);
    await().atMost(LIFECYCLE).until(() -> agent.logText().contains("connected"));

    UUID taskId = client.createTask(device, "sum", Map.of("values", List.of(1, 2, 3, 4)));
    JsonNode task = client.awaitFinished(taskId, LIFECYCLE);

    assertThat(task.get("status").asString()).isEqualTo("DONE");
    assertThat(task.get("status_code").asInt()).isEqualTo(200);
    assertThat(task.get("result").get("sum").asInt()).isEqualTo(10);
    assertThat(task.get("attempts").asInt()).isEqualTo(1);
    assertThat(statusPath(taskId)).endsWith("LOCKED", "DONE").startsWith("QUEUED");
  }

  @Test
  void taskForAnOfflineDeviceWaitsAndIsDoneWhenTheDeviceConnects() {
    String device = registerDevice();
    UUID taskId = client.createTask(device, "echo", Map.of("say", "hello"));

    assertThat(client.get("/tasks/" + taskId).body().get("status").asString()).isEqualTo("QUEUED");

    startAgent(device);
    JsonNode task = client.awaitFinished(taskId, LIFECYCLE);

    assertThat(task.get("status").asString()).isEqualTo("DONE");
    assertThat(task.get("result").get("say").asString()).isEqualTo("hello");
  }

  @Test
  void aFailingHandlerEndsTheTaskFailedWithItsStatusCode() {
    String device = registerDevice();
    startAgent(device);

    UUID taskId = client.createTask(device, "fail", Map.of("reason", "relay stuck"));
    JsonNode task = client.awaitFinished(taskId, LIFECYCLE);

    assertThat(task.get("status").asString()).isEqualTo("FAILED");
    assertThat(task.get("status_code").asInt()).isEqualTo(500);
  }

  @Test
  void aV2AgentGetsItsTasksPushedAndTheNextWithTheCommit() {
    String device = registerDevice();
    // A long poll interval: after its poll on connect the agent gets work only by push.
    ServiceProcess agent = startAgent(device, "--protocol", "2", "--poll-interval", "10m");
    await()
        .atMost(LIFECYCLE)
        .until(() -> client.get("/devices/" + device).body().get("protocol_version").asInt() == 2);

    List<UUID> tasks = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      tasks.add(client.createTask(device, "sum", Map.of("values", List.of(i, 1))));
    }
    for (int i = 0; i < 3; i++) {
      JsonNode task = client.awaitFinished(tasks.get(i), LIFECYCLE);
      assertThat(task.get("status").asString()).as(agent.logTail()).isEqualTo("DONE");
      assertThat(task.get("result").get("sum").asInt()).isEqualTo(i + 1);
      assertThat(causes(tasks.get(i))).contains("PUSHED").doesNotContain("CLAIMED");
    }
  }

  @Test
  void aCancelStopsTheHandlerOfAV2AgentAndTheTaskShowsItsConfirmation() {
    String device = registerDevice();
    ServiceProcess agent = startAgent(device, "--protocol", "2", "--poll-interval", "10m");
    await()
        .atMost(LIFECYCLE)
        .until(() -> client.get("/devices/" + device).body().get("protocol_version").asInt() == 2);
    UUID taskId = client.createTask(device, "sleep", Map.of("ms", 600_000));
    await()
        .atMost(LIFECYCLE)
        .until(() -> agent.logText().contains("received " + taskId + " method=sleep"));

    ApiClient.Answer deleted = client.delete("/tasks/" + taskId);

    assertThat(deleted.status()).as(deleted.body().toString()).isEqualTo(200);
    assertThat(deleted.body().get("status").asString()).isEqualTo("CANCELLED");
    JsonNode confirmed =
        await()
            .atMost(LIFECYCLE)
            .pollInterval(Duration.ofMillis(200))
            .until(
                () -> client.get("/tasks/" + taskId).body(),
                task -> !task.path("cancel_confirmed_at").isNull());
    assertThat(confirmed.get("status").asString()).isEqualTo("CANCELLED");
    assertThat(confirmed.get("cancel_outcome").asString()).as(agent.logTail()).isEqualTo("stopped");
    assertThat(agent.logText())
        .contains("cancelled " + taskId + " outcome=stopped")
        .doesNotContain("done " + taskId);
    assertThat(causes(taskId)).endsWith("CANCELLED", "CANCEL_CONFIRMED");
  }

  @Test
  void theAgentsProgressShowsOnTheTaskWhileItRunsAndAfter() {
    String device = registerDevice();
    ServiceProcess agent = startAgent(device);
    await().atMost(LIFECYCLE).until(() -> agent.logText().contains("connected"));

    UUID taskId = client.createTask(device, "progress", Map.of("steps", 4, "step_ms", 1500));
    JsonNode running =
        await()
            .atMost(LIFECYCLE)
            .pollInterval(Duration.ofMillis(200))
            .until(
                () -> client.get("/tasks/" + taskId).body(),
                task -> task.get("progress").path("percent").asInt(0) >= 25);
    JsonNode task = client.awaitFinished(taskId, LIFECYCLE);

    assertThat(running.get("status").asString()).isEqualTo("LOCKED");
    assertThat(running.get("progress").get("message").asString()).startsWith("step ");
    assertThat(task.get("status").asString()).as(agent.logTail()).isEqualTo("DONE");
    // The task keeps the last report the core stored before the result. The device sends its
    // last report (step 4, 100 %) just before its result, and the core's consumers may take the
    // two in either order: a report after the result is refused as task-finished (protocol.md).
    int finalPercent = task.get("progress").get("percent").asInt();
    assertThat(finalPercent).isBetween(running.get("progress").get("percent").asInt(), 100);
    assertThat(task.get("progress").get("message").asString())
        .isEqualTo("step " + finalPercent / 25 + " of 4");
    assertThat(causes(taskId)).contains("PROGRESS").endsWith("RESULT_OK");
  }

  @Test
  void anOnlineOnlyTaskRunsOnAnOnlineDeviceAndIsUnreachableForAnOfflineOne() {
    String offline = registerDevice();
    ApiClient.Answer unreachable =
        client.post(
            "/tasks", Map.of("device_id", offline, "method_code", "echo", "online_only", true));
    assertThat(unreachable.status()).as(unreachable.body().toString()).isEqualTo(200);
    assertThat(unreachable.body().get("status").asString()).isEqualTo("UNREACHABLE");

    String device = registerDevice();
    startAgent(device);
    await()
        .atMost(LIFECYCLE)
        .until(() -> client.get("/devices/" + device).body().get("online").asBoolean());
    ApiClient.Answer created =
        client.post(
            "/tasks",
            Map.of(
                "device_id",
                device,
                "method_code",
                "echo",
                "online_only",
                true,
                "payload",
                Map.of("say", "now")));
    assertThat(created.status()).isEqualTo(202);
    JsonNode task =
        client.awaitFinished(UUID.fromString(created.body().get("id").asString()), LIFECYCLE);
    assertThat(task.get("status").asString()).isEqualTo("DONE");
    assertThat(task.get("online_only").asBoolean()).isTrue();
  }

  @Test
  void aDeviceEventIsStoredAnsweredAndReadBack() throws Exception {
    String device = registerDevice();
    Endpoints endpoints = Infrastructure.endpoints();
    ServiceProcess event =
        ServiceProcess.of("device-agent")
            .classifier("cli")
            .name("event-" + device)
            .args(
                "event",
                "--device-id=" + device,
                "--host=" + endpoints.amqpHost(),
                "--port=" + endpoints.mqttPort(),
                "--username=" + endpoints.deviceUser(),
                "--password=" + endpoints.devicePassword(),
                "--type=13",
                "--id=4711",
                "--timestamp=1764072000",
                "--payload={\"101\": 4711, \"200\": 13, \"300\": [{\"cell\": 4}]}")
            .start();
    agents.add(event);
    await().atMost(LIFECYCLE).until(() -> event.logText().contains("event 13/4711 stored"));

    JsonNode events = client.get("/devices/" + device + "/events?type=13").body().get("items");
    assertThat(events).hasSize(1);
    assertThat(events.get(0).get("dev_event_id").asLong()).isEqualTo(4711);
    assertThat(events.get(0).get("dev_timestamp").asString()).isEqualTo("2025-11-25T12:00:00Z");
    assertThat(events.get(0).get("payload").get("300").get(0).get("cell").asInt()).isEqualTo(4);
    JsonNode state = client.get("/devices/" + device + "/state").body().get("latest");
    assertThat(state).hasSize(1);
  }

  private String registerDevice() {
    String device = "e2e-" + UUID.randomUUID().toString().substring(0, 8);
    ApiClient.Answer answer =
        client.post("/devices", Map.of("id", device, "display_name", "end-to-end"));
    assertThat(answer.status()).as(answer.body().toString()).isEqualTo(201);
    return device;
  }

  private ServiceProcess startAgent(String device, String... extra) {
    ServiceProcess agent = AgentCli.device("agent-" + device, device).args(extra).start();
    agents.add(agent);
    return agent;
  }

  private List<String> causes(UUID taskId) {
    List<String> causes = new ArrayList<>();
    for (JsonNode event : client.get("/tasks/" + taskId + "/events").body()) {
      causes.add(event.get("cause").asString());
    }
    return causes;
  }

  private List<String> statusPath(UUID taskId) {
    List<String> path = new ArrayList<>();
    for (JsonNode event : client.get("/tasks/" + taskId + "/events").body()) {
      path.add(event.get("to_status").asString());
    }
    return path;
  }
}
