package io.asyncrpc.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.asyncrpc.protocol.ProtocolVersion;
import io.asyncrpc.swarm.Swarm;
import io.asyncrpc.swarm.SwarmListener;
import io.asyncrpc.swarm.SwarmSettings;
import io.asyncrpc.testsupport.ApiClient;
import io.asyncrpc.testsupport.Endpoints;
import io.asyncrpc.testsupport.Infrastructure;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/**
 * Verifies fleet jobs the way a user meets them: api-service and core-service as separate
 * processes, simulated devices (half v1, half v2) over real MQTT 5 connections. One {@code POST
 * /api/v1/jobs} ends COMPLETED with every device's execution done; the cancel of a job whose
 * executions the devices hold gives each v2 device the device cancel and counts their answers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JobEndToEndIT {

  private static final int DEVICES = 20;

  private Endpoints endpoints;
  private ApiAndCore services;
  private ApiClient client;

  @BeforeAll
  void startTheServices() {
    endpoints = Infrastructure.endpoints();
    services = ApiAndCore.start();
    client = services.client();
  }

  @AfterAll
  void stopTheServices() {
    if (services != null) {
      services.close();
    }
  }

  @Test
  void aJobOverTwentyDevicesGivesEachOneExecutionAndCompletes() throws Exception {
    SwarmSettings settings =
        swarm("e2ejob-", DEVICES).withWork(Duration.ofMillis(10), Duration.ofMillis(50), 0);
    List<String> devices = register(settings);
    Set<String> received = ConcurrentHashMap.newKeySet();
    SwarmListener listener =
        new SwarmListener() {
          @Override
          public void taskReceived(String deviceId, UUID taskId, long nanoTime) {
            received.add(deviceId);
          }
        };
    try (Swarm swarm = new Swarm(settings, listener)) {
      swarm.start().get(60, TimeUnit.SECONDS);

      String job = createJob(devices);

      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> "COMPLETED".equals(status(job)));

      JsonNode done = client.get("/jobs/" + job).body();
      assertThat(done.path("counts").path("DONE").asInt()).isEqualTo(DEVICES);
      assertThat(done.path("not_started").asInt()).isZero();
      assertThat(received).containsExactlyInAnyOrderElementsOf(devices);
    }
  }

  @Test
  void cancellingAJobTheDevicesHoldGivesTheV2DevicesTheCancelAndCountsTheirAnswers()
      throws Exception {
    int count = 10;
    // Work far longer than the test: an execution ends only through the cancel.
    SwarmSettings settings =
        swarm("e2ejobc-", count).withWork(Duration.ofMinutes(10), Duration.ofMinutes(10), 0);
    List<String> devices = register(settings);
    Set<String> v2 = ConcurrentHashMap.newKeySet();
    for (int i = 0; i < count; i++) {
      if (settings.protocolOf(i) == ProtocolVersion.V2) {
        v2.add(devices.get(i));
      }
    }
    Set<UUID> results = ConcurrentHashMap.newKeySet();
    SwarmListener listener =
        new SwarmListener() {
          @Override
          public void resultSent(String deviceId, UUID taskId, int statusCode, long nanoTime) {
            results.add(taskId);
          }
        };
    try (Swarm swarm = new Swarm(settings, listener)) {
      swarm.start().get(60, TimeUnit.SECONDS);
      String job = createJob(devices);
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> counts(job).path("LOCKED").asInt() == count);

      ApiClient.Answer cancelled = client.post("/jobs/" + job + "/cancel", Map.of());

      assertThat(cancelled.status()).as(cancelled.body().toString()).isEqualTo(200);
      assertThat(cancelled.body().path("status").asString()).isEqualTo("CANCELLED");
      assertThat(cancelled.body().path("counts").path("CANCELLED").asInt()).isEqualTo(count);
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(300))
          .until(
              () ->
                  client.get("/jobs/" + job).body().path("cancel_confirmed").asInt() == v2.size());
      JsonNode executions = client.get("/jobs/" + job + "/executions?limit=50").body();
      Map<String, String> outcomes = new ConcurrentHashMap<>();
      for (JsonNode execution : executions.path("items")) {
        assertThat(execution.path("status").asString()).isEqualTo("CANCELLED");
        JsonNode outcome = execution.path("cancel_outcome");
        outcomes.put(
            execution.path("device_id").asString(), outcome.isString() ? outcome.asString() : "-");
      }
      assertThat(outcomes).hasSize(count);
      for (String device : devices) {
        assertThat(outcomes.get(device))
            .as(device)
            .isEqualTo(v2.contains(device) ? "stopped" : "-");
      }
      assertThat(results).as("a stopped handler sends no result").isEmpty();
      // The count stays what the devices answered.
      assertThat(client.get("/jobs/" + job).body().path("cancel_confirmed").asInt())
          .isEqualTo(v2.size());
    }
  }

  private SwarmSettings swarm(String prefix, int count) {
    return SwarmSettings.of(
            endpoints.amqpHost(),
            endpoints.mqttPort(),
            prefix + UUID.randomUUID().toString().substring(0, 6),
            count)
        .withCredentials("device", "device")
        .withV2Fraction(0.5);
  }

  private List<String> register(SwarmSettings settings) {
    List<String> devices = settings.deviceIds();
    for (String device : devices) {
      assertThat(client.post("/devices", Map.of("id", device)).status()).isEqualTo(201);
    }
    return devices;
  }

  private String createJob(List<String> devices) {
    ApiClient.Answer created =
        client.post(
            "/jobs",
            Map.of(
                "targets", Map.of("device_ids", devices),
                "method_code", "fw.check",
                "payload", Map.of("device", "{{device.id}}"),
                "ttl", 120,
                "rollout", Map.of("max_per_minute", 600)));
    assertThat(created.status()).as(created.body().toString()).isEqualTo(202);
    return created.body().get("id").asString();
  }

  private String status(String job) {
    return client.get("/jobs/" + job).body().path("status").asString();
  }

  private JsonNode counts(String job) {
    return client.get("/jobs/" + job).body().path("counts");
  }
}
