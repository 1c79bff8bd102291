package io.asyncrpc.api.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.asyncrpc.testsupport.ActuatorClient;
import io.asyncrpc.testsupport.ActuatorClient.Answer;
import io.asyncrpc.testsupport.ActuatorClient.PrometheusText;
import io.asyncrpc.testsupport.ApiClient;
import io.asyncrpc.testsupport.InfrastructureConfiguration;
import io.asyncrpc.testsupport.TestTokens;
import io.asyncrpc.testsupport.TestTokensConfiguration;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What an operator sees of api-service: the readiness group, Prometheus metrics of the transitions
 * it makes (creation, cancellation) and structured (ECS JSON) log lines naming the task and the
 * device.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "logging.structured.format.console=ecs",
      "logging.level.io.asyncrpc.api.task=debug",
      "iot.gauges.refresh-interval=300ms"
    })
@Import({InfrastructureConfiguration.class, TestTokensConfiguration.class})
@ExtendWith(OutputCaptureExtension.class)
class ObservabilityIT {

  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final String CLIENT = "obs-client-" + UUID.randomUUID().toString().substring(0, 8);
  private static final String TENANT = "obs-tenant-" + UUID.randomUUID().toString().substring(0, 8);

  @LocalServerPort int port;
  @Autowired JsonMapper json;

  private ApiClient api;
  private ActuatorClient actuator;
  private String device;

  // Spring Boot hands the format to Logback as a system property, which would outlive this
  // context and turn the logs of later test classes in this JVM into JSON too.
  @AfterAll
  static void plainLogsForLaterTests() {
    System.clearProperty("CONSOLE_LOG_STRUCTURED_FORMAT");
  }

  @BeforeEach
  void registerADevice() {
    api =
        ApiClient.local(
            port,
            TestTokens.shared()
                .token(CLIENT, TENANT, "tasks:read", "tasks:write", "devices:admin"));
    actuator = new ActuatorClient("http://127.0.0.1:" + port);
    device = "obs-" + UUID.randomUUID().toString().substring(0, 13);
    assertThat(api.post("/api/v1/devices", "{\"id\":\"" + device + "\"}").status()).isEqualTo(201);
  }

  @Test
  void readinessFollowsTheDatabaseAndLivenessNothingOutside() {
    Answer readiness = actuator.get("health/readiness");
    Answer liveness = actuator.get("health/liveness");

    assertThat(readiness.status()).isEqualTo(200);
    JsonNode ready = json.readTree(readiness.body());
    assertThat(ready.get("status").stringValue()).isEqualTo("UP");
    assertThat(ready.get("components").propertyNames())
        .containsExactlyInAnyOrder("db", "readinessState");
    assertThat(liveness.status()).isEqualTo(200);
    assertThat(liveness.body()).doesNotContain("db").doesNotContain("rabbit");
  }

  @Test
  void creationAndCancellationAreCountedAsTransitions() {
    Map<String, String> creation = Map.of("from", "NONE", "to", "QUEUED");
    Map<String, String> cancellation = Map.of("from", "QUEUED", "to", "CANCELLED");
    String before = actuator.get("prometheus").body();

    String id = create();
    assertThat(api.delete("/api/v1/tasks/" + id).status()).isEqualTo(200);

    String after = actuator.get("prometheus").body();
    assertThat(PrometheusText.sum(after, "iot_task_transitions_total", creation))
        .isEqualTo(PrometheusText.sum(before, "iot_task_transitions_total", creation) + 1);
    assertThat(PrometheusText.sum(after, "iot_task_transitions_total", cancellation))
        .isEqualTo(PrometheusText.sum(before, "iot_task_transitions_total", cancellation) + 1);
    assertThat(after).contains("application=\"api-service\"");
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(actuator.get("prometheus").body())
                    .containsPattern("(?m)^iot_outbox_backlog\\{[^}]*} [0-9.]+$")
                    .containsPattern("(?m)^iot_outbox_oldest_age_seconds\\{[^}]*} [0-9.]+$"));
  }

  @Test
  void requestsAreTimedOnceNotOncePerSecurityFilter() {
    create();

    String metrics = actuator.get("prometheus").body();
    assertThat(metrics)
        .containsPattern("(?m)^http_server_requests_seconds_count\\{[^}]*uri=\"/api/v1/tasks\"");
    assertThat(metrics).doesNotContain("spring_security_");
  }

  @Test
  void logLinesAreEcsJsonWithTheTaskAndTheDevice(CapturedOutput output) {
    String id = create();
    api.delete("/api/v1/tasks/" + id);

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              JsonNode created = logLine(output, "Created task " + id);
              assertThat(field(created, "task_id")).isEqualTo(id);
              assertThat(field(created, "device_id")).isEqualTo(device);
              assertThat(field(created, "log.level")).isEqualTo("DEBUG");
              assertThat(field(created, "service.name")).isEqualTo("api-service");
              // The cancellation names its task from the request path alone.
              assertThat(field(logLine(output, "Cancelled task " + id), "task_id")).isEqualTo(id);
            });
  }

  private String create() {
    ApiClient.Answer created =
        api.post(
            "/api/v1/tasks",
            """
            {"device_id":"%s","method_code":"relay.switch","priority":1,"ttl":600,"payload":{}}"""
                .formatted(device));
    assertThat(created.status()).isEqualTo(202);
    return created.text("id");
  }

  private JsonNode logLine(CapturedOutput output, String message) {
    return Arrays.stream(output.getOut().split("\n"))
        .filter(line -> line.startsWith("{") && line.contains(message))
        .map(json::readTree)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no JSON log line with: " + message));
  }

  // ECS fields are written flat ("log.level") or nested ({"log":{"level":…}}) by Boot versions.
  private static String field(JsonNode line, String name) {
    if (line.has(name)) {
      return line.get(name).asString();
    }
    JsonNode node = line;
    for (String part : name.split("\\.")) {
      node = node.path(part);
    }
    return node.isMissingNode() ? null : node.asString();
  }
}
