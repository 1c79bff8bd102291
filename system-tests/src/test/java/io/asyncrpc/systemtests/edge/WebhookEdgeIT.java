package io.asyncrpc.systemtests.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.asyncrpc.systemtests.AgentCli;
import io.asyncrpc.testsupport.ApiClient;
import io.asyncrpc.testsupport.ApiClient.Answer;
import io.asyncrpc.testsupport.Endpoints;
import io.asyncrpc.testsupport.Infrastructure;
import io.asyncrpc.testsupport.TestTokens;
import io.asyncrpc.testsupport.process.ServiceProcess;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Verifies webhooks the way an app meets them: it creates an endpoint through the edge (real nginx
 * with the njs JWT check, over HTTPS) with a token holding {@code webhooks:admin}, a real device
 * agent runs a task to DONE against the packaged core-service, and the app's receiver gets a {@code
 * task.finished} whose signature verifies with the secret the edge handed out.
 */
class WebhookEdgeIT {

  private static final TestTokens TOKENS = TestTokens.shared();
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Duration LIFECYCLE = Duration.ofSeconds(60);

  /**
   * One request the receiver got.
   *
   * @param id its webhook-id
   * @param timestamp its webhook-timestamp
   * @param signature its webhook-signature
   * @param body its body
   */
  private record Received(String id, String timestamp, String signature, byte[] body) {

    static Received of(HttpExchange exchange) throws IOException {
      var headers = exchange.getRequestHeaders();
      return new Received(
          headers.getFirst("webhook-id"),
          headers.getFirst("webhook-timestamp"),
          headers.getFirst("webhook-signature"),
          exchange.getRequestBody().readAllBytes());
    }
  }

  private static final List<Received> RECEIVED = new CopyOnWriteArrayList<>();
  private static final List<Received> FLAKY = new CopyOnWriteArrayList<>();
  private static final List<ServiceProcess> PROCESSES = new ArrayList<>();
  private static HttpServer receiver;
  private static TestEdge edge;
  private static ApiClient client;

  @BeforeAll
  static void startEverything() throws IOException {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/",
        exchange -> {
          RECEIVED.add(Received.of(exchange));
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    // Fails on purpose: a 500, then a 503 asking for a retry after a second, then a 204.
    receiver.createContext(
        "/flaky",
        exchange -> {
          Received request = Received.of(exchange);
          int answer =
              switch (FLAKY.size()) {
                case 0 -> 500;
                case 1 -> 503;
                default -> 204;
              };
          FLAKY.add(request);
          if (answer == 503) {
            exchange.getResponseHeaders().set("Retry-After", "1");
          }
          exchange.sendResponseHeaders(answer, -1);
          exchange.close();
        });
    receiver.start();

    Endpoints endpoints = Infrastructure.endpoints();
    int apiPort = ServiceProcess.freePort();
    PROCESSES.add(
        ServiceProcess.of("api-service")
            .name("webhook-api-service")
            .port(apiPort)
            .args(
                // The receiver listens on loopback, as on the local stack.
                "--iot.webhooks.allow-private-targets=true",
                // Retries a second apart, so that the failing receiver's three attempts fit the
                // test.
                "--iot.webhooks.retry.initial-interval=1s",
                "--iot.webhooks.retry.multiplier=1")
            .against(endpoints)
            .trustingTestTokens()
            .start()
            .awaitHealthy());
    PROCESSES.add(
        ServiceProcess.of("core-service")
            .name("webhook-core-service")
            .port(ServiceProcess.freePort())
            .against(endpoints)
            .start()
            .awaitHealthy());

    edge = TestEdge.inFrontOf("edge-webhooks", apiPort, Map.of());
    client = edge.client();
  }

  @AfterAll
  static void stopEverything() {
    if (edge != null) {
      edge.close();
    }
    PROCESSES.reversed().forEach(ServiceProcess::close);
    if (receiver != null) {
      receiver.stop(0);
    }
  }

  @Test
  void aTaskDoneByARealAgentIsPostedSignedToTheEndpointMadeThroughTheEdge() throws Exception {
    String tenant = "edge-wh-" + UUID.randomUUID().toString().substring(0, 8);
    ApiClient app =
        client.withToken(
            TOKENS.token("edge-wh-app", tenant, "tasks:read", "tasks:write", "devices:admin"));
    ApiClient ops = client.withToken(TOKENS.token("edge-wh-ops", tenant, "webhooks:admin"));
    String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks";
    String subscribe = "{\"url\":\"%s\",\"event_types\":[\"task.finished\"]}".formatted(url);

    // The edge asks for webhooks:admin: the app's token, with every other scope, is refused.
    assertThat(app.post("/api/v1/webhooks", subscribe).status()).isEqualTo(403);
    Answer created = ops.post("/api/v1/webhooks", subscribe);
    assertThat(created.status()).as(String.valueOf(created.body())).isEqualTo(201);
    String secret = created.body().path("secret").asString();
    assertThat(secret).startsWith("whsec_");

    String device = "edge-wh-" + UUID.randomUUID().toString().substring(0, 8);
    assertThat(app.post("/api/v1/devices", "{\"id\":\"%s\"}".formatted(device)).status())
        .isEqualTo(201);
    startAgent(device);
    Answer task =
        app.post(
            "/api/v1/tasks",
            "{\"device_id\":\"%s\",\"method_code\":\"sum\",\"payload\":{\"values\":[1,2,3]}}"
                .formatted(device));
    assertThat(task.status()).isEqualTo(202);
    String taskId = task.body().path("id").asString();

    Received received =
        await()
            .atMost(LIFECYCLE)
            .until(
                () ->
                    RECEIVED.stream()
                        .filter(r -> new String(r.body(), StandardCharsets.UTF_8).contains(taskId))
                        .findFirst()
                        .orElse(null),
                r -> r != null);

    assertThat(verify(secret, received)).isTrue();
    JsonNode body = JSON.readTree(received.body());
    assertThat(body.path("type").asString()).isEqualTo("task.finished");
    assertThat(body.path("data").path("id").asString()).isEqualTo(taskId);
    assertThat(body.path("data").path("status").asString()).isEqualTo("DONE");
    assertThat(body.path("data").path("result").path("sum").asInt()).isEqualTo(6);

    // The edge lists the delivery with its successful attempt.
    String deliveries = "/api/v1/webhooks/" + created.body().path("id").asString() + "/deliveries";
    JsonNode delivery = succeededDelivery(deliveries, ops);
    assertThat(delivery.path("id").asString()).isEqualTo(received.id());
    assertThat(delivery.path("status_code").asInt()).isEqualTo(204);
  }

  @Test
  void aReceiverThatFailsOnPurposeIsRetriedUntilItAnswers2xxUnderOneWebhookId() throws Exception {
    String tenant = "edge-whr-" + UUID.randomUUID().toString().substring(0, 8);
    ApiClient app =
        client.withToken(
            TOKENS.token("edge-whr-app", tenant, "tasks:read", "tasks:write", "devices:admin"));
    ApiClient ops = client.withToken(TOKENS.token("edge-whr-ops", tenant, "webhooks:admin"));
    String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/flaky";
    Answer created =
        ops.post(
            "/api/v1/webhooks",
            "{\"url\":\"%s\",\"event_types\":[\"task.finished\"]}".formatted(url));
    assertThat(created.status()).as(String.valueOf(created.body())).isEqualTo(201);
    String secret = created.body().path("secret").asString();

    String device = "edge-whr-" + UUID.randomUUID().toString().substring(0, 8);
    assertThat(app.post("/api/v1/devices", "{\"id\":\"%s\"}".formatted(device)).status())
        .isEqualTo(201);
    startAgent(device);
    Answer task =
        app.post(
            "/api/v1/tasks",
            "{\"device_id\":\"%s\",\"method_code\":\"sum\",\"payload\":{\"values\":[4,5]}}"
                .formatted(device));
    assertThat(task.status()).isEqualTo(202);
    String taskId = task.body().path("id").asString();

    await().atMost(LIFECYCLE).until(() -> FLAKY.size() >= 3);
    // Three attempts of one message: the same webhook-id and body, each signed anew.
    assertThat(FLAKY).extracting(Received::id).containsOnly(FLAKY.getFirst().id());
    for (Received attempt : FLAKY) {
      assertThat(verify(secret, attempt)).isTrue();
      JsonNode body = JSON.readTree(attempt.body());
      assertThat(body.path("data").path("id").asString()).isEqualTo(taskId);
      assertThat(body.path("data").path("result").path("sum").asInt()).isEqualTo(9);
    }

    String deliveries = "/api/v1/webhooks/" + created.body().path("id").asString() + "/deliveries";
    JsonNode delivery = succeededDelivery(deliveries, ops);
    assertThat(delivery.path("id").asString()).isEqualTo(FLAKY.getFirst().id());
    assertThat(delivery.path("attempts").valueStream().map(a -> a.path("status_code").asInt()))
        .containsExactly(500, 503, 204);
    assertThat(FLAKY).hasSize(3);

    // The retry button sends the succeeded delivery once more, under the same webhook-id.
    Answer retried = ops.post(deliveries + "/" + delivery.path("id").asString() + "/retry", "{}");
    assertThat(retried.status()).as(String.valueOf(retried.body())).isEqualTo(202);
    await().atMost(Duration.ofSeconds(30)).until(() -> FLAKY.size() == 4);
    assertThat(FLAKY.getLast().id()).isEqualTo(FLAKY.getFirst().id());
    assertThat(verify(secret, FLAKY.getLast())).isTrue();
  }

  /** The newest delivery listed through the edge to {@code ops}, once it has succeeded. */
  private static JsonNode succeededDelivery(String deliveries, ApiClient ops) {
    return await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> ops.get(deliveries).body().path("items").path(0),
            d -> d.path("status").asString().equals("succeeded"));
  }

  /** A receiver's check (Standard Webhooks), written as docs/webhooks.md shows it. */
  private static boolean verify(String secret, Received r) throws GeneralSecurityException {
    if (Math.abs(Instant.now().getEpochSecond() - Long.parseLong(r.timestamp())) > 300) {
      return false;
    }
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(
        new SecretKeySpec(
            Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
    mac.update((r.id() + "." + r.timestamp() + ".").getBytes(StandardCharsets.UTF_8));
    byte[] expected = mac.doFinal(r.body());
    for (String signature : r.signature().split(" ")) {
      if (signature.startsWith("v1,")
          && MessageDigest.isEqual(expected, Base64.getDecoder().decode(signature.substring(3)))) {
        return true;
      }
    }
    return false;
  }

  private static void startAgent(String device) {
    PROCESSES.add(AgentCli.device("webhook-agent-" + device, device).start());
  }
}
