package io.asyncrpc.agent;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperties;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserPropertiesBuilder;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperty;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.asyncrpc.protocol.TaskIds;
import io.asyncrpc.testsupport.Endpoints;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Plays the core in integration tests: an MQTT 5 client logged in as the services' user, which
 * subscribes to one device's {@code dev/<SN>/+} and publishes to its {@code srv/<SN>/...}.
 */
final class TestCore implements AutoCloseable {

  /**
   * A message the device sent.
   *
   * @param kind the last topic segment, for example {@code res}
   * @param correlation the correlation data as text (the agent sends the 36-char form)
   * @param properties the user properties
   * @param payload the payload as text
   */
  record Received(
      String kind, String correlation, Map<String, String> properties, String payload) {}

  private final String deviceId;
  private final Mqtt5AsyncClient client;
  private final List<Received> received = new CopyOnWriteArrayList<>();

  TestCore(Endpoints endpoints, String deviceId) throws Exception {
    this.deviceId = deviceId;
    this.client =
        Mqtt5Client.builder()
            .identifier("test-core-" + UUID.randomUUID())
            .serverHost(endpoints.amqpHost())
            .serverPort(endpoints.mqttPort())
            .simpleAuth()
            .username(endpoints.amqpUser())
            .password(endpoints.amqpPassword().getBytes(StandardCharsets.UTF_8))
            .applySimpleAuth()
            .buildAsync();
    client.publishes(MqttGlobalPublishFilter.ALL, this::record);
    client.connectWith().cleanStart(true).send().get(10, TimeUnit.SECONDS);
    client
        .subscribeWith()
        .topicFilter("dev/" + deviceId + "/+")
        .qos(MqttQos.AT_LEAST_ONCE)
        .send()
        .get(10, TimeUnit.SECONDS);
  }

  /** Everything the device sent so far, in order. */
  List<Received> received() {
    return List.copyOf(received);
  }

  /** What the device sent of one kind about one task (zero UUID for polls). */
  List<Received> received(String kind, UUID taskId) {
    return received.stream()
        .filter(m -> m.kind().equals(kind) && m.correlation().equals(taskId.toString()))
        .toList();
  }

  /** Publishes {@code srv/<SN>/<kind>} at QoS 1 with the task id as correlation data. */
  void send(String kind, UUID taskId, Map<String, String> properties, String payload)
      throws Exception {
    Mqtt5UserPropertiesBuilder userProperties = Mqtt5UserProperties.builder();
    properties.forEach(userProperties::add);
    client
        .publishWith()
        .topic("srv/" + deviceId + "/" + kind)
        .qos(MqttQos.AT_LEAST_ONCE)
        .correlationData(TaskIds.toCorrelationData(taskId))
        .userProperties(userProperties.build())
        .payload(payload.getBytes(StandardCharsets.UTF_8))
        .send()
        .get(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    client.disconnect().orTimeout(10, TimeUnit.SECONDS).join();
  }

  private void record(Mqtt5Publish publish) {
    String topic = publish.getTopic().toString();
    String correlation = publish.getCorrelationData().map(TestCore::text).orElse("");
    Map<String, String> properties = new LinkedHashMap<>();
    for (Mqtt5UserProperty property : publish.getUserProperties().asList()) {
      properties.put(property.getName().toString(), property.getValue().toString());
    }
    received.add(
        new Received(
            topic.substring(topic.lastIndexOf('/') + 1),
            correlation,
            properties,
            new String(publish.getPayloadAsBytes(), StandardCharsets.UTF_8)));
  }

  private static String text(ByteBuffer buffer) {
    byte[] bytes = new byte[buffer.remaining()];
    buffer.duplicate().get(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
