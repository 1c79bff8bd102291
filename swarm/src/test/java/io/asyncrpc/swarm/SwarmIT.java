package io.asyncrpc.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperties;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperty;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.asyncrpc.protocol.TaskIds;
import io.asyncrpc.protocol.Topic;
import io.asyncrpc.protocol.UserProperties;
import io.asyncrpc.testsupport.Endpoints;
import io.asyncrpc.testsupport.Infrastructure;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Verifies that simulated devices speak protocol v1 over the real broker: the test plays the core
 * with its own MQTT 5 client (logged in as the services' user), answering requests and results.
 */
class SwarmIT {

  private final Endpoints endpoints = Infrastructure.endpoints();
  private final String prefix = "swarm-it-" + UUID.randomUUID().toString().substring(0, 6);
  private final Map<UUID, String> handedOut = new ConcurrentHashMap<>();
  private final Map<UUID, Integer> resultStatus = new ConcurrentHashMap<>();
  private final Map<UUID, Integer> resultsSeen = new ConcurrentHashMap<>();
  private Mqtt5AsyncClient core;
  private Swarm swarm;

  @BeforeEach
  void startCore() throws Exception {
    core =
        Mqtt5Client.builder()
            .identifier(prefix + "-core")
            .serverHost(endpoints.amqpHost())
            .serverPort(endpoints.mqttPort())
            .simpleAuth()
            .username(endpoints.amqpUser())
            .password(endpoints.amqpPassword().getBytes(StandardCharsets.UTF_8))
            .applySimpleAuth()
            .buildAsync();
    core.connect().get(10, TimeUnit.SECONDS);
    core.subscribeWith()
        .topicFilter("dev/+/+")
        .qos(MqttQos.AT_LEAST_ONCE)
        .callback(this::playCore)
        .send()
        .get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    if (swarm != null) {
      swarm.close();
    }
    core.disconnect().get(10, TimeUnit.SECONDS);
  }

  @Test
  void everyTriggeredTaskRunsOnceAndIsCommitted() {
    swarm = startSwarm(20, 0);
    List<UUID> tasks = new ArrayList<>();
    for (String device : swarm.settings().deviceIds()) {
      for (int i = 0; i < 3; i++) {
        UUID task = UUID.randomUUID();
        tasks.add(task);
        handedOut.put(task, device);
        trigger(device, task);
      }
    }

    await().atMost(Duration.ofSeconds(60)).until(() -> swarm.stats().snapshot().commits() == 60);

    SwarmStats.Snapshot stats = swarm.stats().snapshot();
    assertThat(stats.tasks()).isEqualTo(60);
    assertThat(stats.triggers()).isEqualTo(60);
    assertThat(resultStatus).containsOnlyKeys(tasks);
    assertThat(resultStatus.values()).containsOnly(200);
    assertThat(stats.noTask()).isGreaterThanOrEqualTo(20);
  }

  @Test
  void aRedeliveredTaskIsNotRunAgain() {
    swarm = startSwarm(1, 0);
    String device = swarm.settings().deviceIds().getFirst();
    UUID task = UUID.randomUUID();
    handedOut.put(task, device);
    trigger(device, task);
    await().atMost(Duration.ofSeconds(30)).until(() -> swarm.stats().snapshot().commits() == 1);

    respond(device, task);

    await().atMost(Duration.ofSeconds(30)).until(() -> swarm.stats().snapshot().duplicates() == 1);
    assertThat(swarm.stats().snapshot().tasks()).isEqualTo(1);
  }

  @Test
  void failuresAreReportedWithAFailureStatus() {
    swarm = startSwarm(2, 1.0);
    UUID task = UUID.randomUUID();
    String device = swarm.settings().deviceIds().getFirst();
    handedOut.put(task, device);
    trigger(device, task);

    await().atMost(Duration.ofSeconds(30)).until(() -> resultStatus.containsKey(task));
    assertThat(resultStatus.get(task)).isEqualTo(500);
    assertThat(swarm.stats().snapshot().failedResults()).isGreaterThanOrEqualTo(1);
  }

  private Swarm startSwarm(int devices, double failureRate) {
    Swarm started =
        new Swarm(
            SwarmSettings.of(endpoints.amqpHost(), endpoints.mqttPort(), prefix, devices)
                .withCredentials(endpoints.deviceUser(), endpoints.devicePassword())
                .withWork(Duration.ofMillis(1), Duration.ofMillis(20), failureRate)
                .withPolling(Duration.ofSeconds(30), Duration.ofSeconds(2))
                .withAcknowledgements(true),
            SwarmListener.NONE);
    started.start().orTimeout(60, TimeUnit.SECONDS).join();
    assertThat(started.stats().snapshot().online()).isEqualTo(devices);
    return started;
  }

  /** The core's side: answers requests by id and zero-UUID polls, and commits results. */
  private void playCore(Mqtt5Publish publish) {
    Topic topic = Topic.parseMqtt(publish.getTopic().toString()).orElse(null);
    if (topic == null || !topic.device().value().startsWith(prefix)) {
      return;
    }
    String device = topic.device().value();
    UUID task = correlation(publish);
    switch (topic.kind()) {
      case REQUEST -> {
        if (task.equals(TaskIds.ZERO)) {
          send(device, "rsp", TaskIds.ZERO, Map.of(UserProperties.STATUS_CODE, "204"), "");
        } else if (device.equals(handedOut.get(task))) {
          respond(device, task);
        }
      }
      case RESULT -> {
        String status =
            publish.getUserProperties().asList().stream()
                .filter(p -> p.getName().toString().equals(UserProperties.STATUS_CODE))
                .map(p -> p.getValue().toString())
                .findFirst()
                .orElse("-1");
        resultStatus.put(task, Integer.parseInt(status));
        resultsSeen.merge(task, 1, Integer::sum);
        send(
            device,
            "cmt",
            task,
            Map.of(UserProperties.RESULT_ID, UUID.randomUUID().toString()),
            "");
      }
      default -> {}
    }
  }

  private void trigger(String device, UUID task) {
    send(device, "tsk", task, Map.of(UserProperties.METHOD_CODE, "work"), "{}");
  }

  private void respond(String device, UUID task) {
    send(
        device,
        "rsp",
        task,
        Map.of(UserProperties.METHOD_CODE, "work", UserProperties.ATTEMPT, "1"),
        "{\"n\":1}");
  }

  private void send(String device, String kind, UUID task, Map<String, String> props, String body) {
    List<Mqtt5UserProperty> properties = new ArrayList<>();
    props.forEach((name, value) -> properties.add(Mqtt5UserProperty.of(name, value)));
    core.publishWith()
        .topic("srv/" + device + "/" + kind)
        .qos(MqttQos.AT_LEAST_ONCE)
        .correlationData(TaskIds.toCorrelationData(task))
        .userProperties(Mqtt5UserProperties.of(properties))
        .payload(body.getBytes(StandardCharsets.UTF_8))
        .send();
  }

  private static UUID correlation(Mqtt5Publish publish) {
    ByteBuffer data = publish.getCorrelationData().orElseThrow().duplicate();
    byte[] bytes = new byte[data.remaining()];
    data.get(bytes);
    return TaskIds.fromCorrelationData(bytes).orElseThrow();
  }
}
