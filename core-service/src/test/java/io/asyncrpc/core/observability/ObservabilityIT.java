package io.asyncrpc.core.observability;

import static io.asyncrpc.core.support.TaskFixtures.inMinutes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.asyncrpc.core.support.CoreServiceTest;
import io.asyncrpc.core.support.TaskFixtures;
import io.asyncrpc.core.support.TestDevice;
import io.asyncrpc.protocol.MessageKind;
import io.asyncrpc.task.model.TaskStatus;
import io.asyncrpc.testsupport.ActuatorClient;
import io.asyncrpc.testsupport.ActuatorClient.Answer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What an operator sees of the core: health groups, Prometheus metrics of real transitions, and log
 * lines naming the task and device (MDC keys {@code task_id}, {@code device_id}).
 */
@CoreServiceTest
@ExtendWith(OutputCaptureExtension.class)
class ObservabilityIT {

  private static final Duration WAIT = Duration.ofSeconds(15);

  @Autowired TaskFixtures fixtures;

  @LocalServerPort int port;

  @Value("${test.mqtt.host}")
  String mqttHost;

  @Value("${test.mqtt.port}")
  int mqttPort;

  private final JsonMapper json = JsonMapper.builder().build();
  private ActuatorClient actuator;
  private TestDevice device;

  @BeforeEach
  void connect() throws Exception {
    actuator = new ActuatorClient("http://127.0.0.1:" + port);
    device = TestDevice.connect(mqttHost, mqttPort, fixtures.newDevice("obs"));
  }

  @AfterEach
  void disconnect() {
    device.close();
  }

  @Test
  void readinessNamesDatabaseAndBrokerAndLivenessNeither() {
    Answer readiness = actuator.get("health/readiness");
    Answer liveness = actuator.get("health/liveness");

    assertThat(readiness.status()).isEqualTo(200);
    JsonNode ready = json.readTree(readiness.body());
    assertThat(ready.get("status").stringValue()).isEqualTo("UP");
    assertThat(ready.get("components").propertyNames())
        .containsExactlyInAnyOrder("db", "rabbit", "readinessState");
    assertThat(liveness.status()).isEqualTo(200);
    assertThat(liveness.body()).doesNotContain("db").doesNotContain("rabbit");
  }

  @Test
  void aClaimIsCountedAfterCommitAndTheBacklogIsGauged() throws Exception {
    Map<String, String> claimed = Map.of("from", "QUEUED", "to", "LOCKED");
    double before = actuator.sample("iot_task_transitions_total", claimed);
    UUID task = fixtures.createTask(device.id(), "relay.switch", 5, inMinutes(30));
    device.next(MessageKind.TRIGGER, task);

    device.request(task);
    device.next(MessageKind.RESPONSE, task);

    assertThat(fixtures.status(task)).isEqualTo(TaskStatus.LOCKED);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              String scrape = actuator.get("prometheus").body();
              assertThat(
                      ActuatorClient.PrometheusText.sum(
                          scrape, "iot_task_transitions_total", claimed))
                  .isEqualTo(before + 1);
              assertThat(
                      ActuatorClient.PrometheusText.sum(
                          scrape, "iot_task_queue_depth", Map.of("status", "LOCKED")))
                  .isGreaterThanOrEqualTo(1);
              assertThat(ActuatorClient.PrometheusText.sum(scrape, "iot_devices_online", Map.of()))
                  .isGreaterThanOrEqualTo(1);
              assertThat(scrape).contains("application=\"core-service\"");
            });
  }

  @Test
  void aDeviceMessageIsLoggedWithItsTaskAndDevice(CapturedOutput output) throws Exception {
    UUID unknown = UUID.randomUUID();

    device.request(unknown);
    device.next(MessageKind.ERROR, unknown);

    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(Arrays.stream(output.getOut().split("\n")))
                    .filteredOn(line -> line.contains("Refused dev/" + device.id() + "/req"))
                    .anySatisfy(
                        line ->
                            assertThat(line)
                                .contains("task_id=" + unknown)
                                .contains("device_id=" + device.id())));
  }
}
