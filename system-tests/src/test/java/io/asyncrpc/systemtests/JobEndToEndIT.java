package io.asyncrpc.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.asyncrpc.swarm.Swarm;
import io.asyncrpc.swarm.SwarmListener;
import io.asyncrpc.swarm.SwarmSettings;
import io.asyncrpc.testsupport.Endpoints;
import io.asyncrpc.testsupport.Infrastructure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Verifies a fleet job the way a user meets it: api-service and core-service as separate processes,
 * 20 simulated devices (half v1, half v2) over real MQTT 5 connections, and one {@code POST
 * /api/v1/jobs} that ends COMPLETED with every device's execution done.
 */
class JobEndToEndIT {

  private static final int DEVICES = 20;

  @Test
  void aJobOverTwentyDevicesGivesEachOneExecutionAndCompletes() throws Exception {
    Endpoints endpoints = Infrastructure.endpoints();
    int apiPort = ServiceProcess.freePort();
    int corePort = ServiceProcess.freePort();
    ServiceProcess api =
        ServiceProcess.start(
                "api-service", "api-service", "api-service-*.jar", args(endpoints, apiPort))
            .awaitHealthy("http://127.0.0.1:" + apiPort + "/actuator/health");
    ServiceProcess core = null;
    try {
      core =
          ServiceProcess.start(
                  "core-service", "core-service", "core-service-*.jar", args(endpoints, corePort))
              .awaitHealthy("http://127.0.0.1:" + corePort + "/actuator/health");
      ApiClient client = new ApiClient("http://127.0.0.1:" + apiPort + "/api/v1");
      SwarmSettings settings =
          SwarmSettings.of(
                  endpoints.amqpHost(),
                  endpoints.mqttPort(),
                  "e2ejob-" + UUID.randomUUID().toString().substring(0, 6),
                  DEVICES)
              .withCredentials("device", "device")
              .withWork(Duration.ofMillis(10), Duration.ofMillis(50), 0)
              .withV2Fraction(0.5);
      List<String> devices = settings.deviceIds();
      for (String device : devices) {
        assertThat(client.post("/devices", Map.of("id", device)).status()).isEqualTo(201);
      }
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
        String job = created.body().get("id").asString();

        await()
            .atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofMillis(500))
            .until(() -> "COMPLETED".equals(status(client, job)));

        JsonNode done = client.get("/jobs/" + job).body();
        assertThat(done.path("counts").path("DONE").asInt()).isEqualTo(DEVICES);
        assertThat(done.path("not_started").asInt()).isZero();
        assertThat(received).containsExactlyInAnyOrderElementsOf(devices);
      }
    } finally {
      if (core != null) {
        core.close();
      }
      api.close();
    }
  }

  private static String status(ApiClient client, String job) {
    return client.get("/jobs/" + job).body().path("status").asString();
  }

  private static List<String> args(Endpoints endpoints, int port) {
    List<String> args = new ArrayList<>(List.of("--server.port=" + port));
    args.addAll(endpoints.springArgs());
    return args;
  }
}
