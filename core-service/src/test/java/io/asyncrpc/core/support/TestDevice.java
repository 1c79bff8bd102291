package io.asyncrpc.core.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperties;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserPropertiesBuilder;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishBuilder;
import io.asyncrpc.protocol.MessageKind;
import io.asyncrpc.protocol.TaskIds;
import io.asyncrpc.protocol.Topic;
import io.asyncrpc.protocol.UserProperties;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A device played by the test: an MQTT 5 client (HiveMQ) with client id = device id, subscribed to
 * {@code srv/<SN>/+} at QoS 1 with a clean session, recording what the core sends.
 */
public final class TestDevice implements AutoCloseable {

  private static final Duration WAIT = Duration.ofSeconds(15);

  private final String id;
  private final Mqtt5AsyncClient client;
  private final Map<MessageKind, BlockingQueue<Received>> inbox = new EnumMap<>(MessageKind.class);

  private TestDevice(String id, Mqtt5AsyncClient client) {
    this.id = id;
    this.client = client;
    for (MessageKind kind : MessageKind.values()) {
      inbox.put(kind, new LinkedBlockingQueue<>());
    }
  }

  /** Connects device {@code id} with the dev login and subscribes to its topics. */
  public static TestDevice connect(String host, int port, String id) throws Exception {
    Mqtt5AsyncClient client =
        MqttClient.builder()
            .useMqttVersion5()
            .identifier(id)
            .serverHost(host)
            .serverPort(port)
            .buildAsync();
    TestDevice device = new TestDevice(id, client);
    client
        .connectWith()
        .cleanStart(true)
        .simpleAuth()
        .username("device")
        .password("device".getBytes(StandardCharsets.UTF_8))
        .applySimpleAuth()
        .send()
        .get(WAIT.toSeconds(), TimeUnit.SECONDS);
    client
        .subscribeWith()
        .topicFilter("srv/" + id + "/+")
        .qos(MqttQos.AT_LEAST_ONCE)
        .callback(device::received)
        .send()
        .get(WAIT.toSeconds(), TimeUnit.SECONDS);
    return device;
  }

  public String id() {
    return id;
  }

  private void received(Mqtt5Publish publish) {
    Topic topic =
        Topic.parseMqtt(publish.getTopic().toString())
            .orElseThrow(() -> new IllegalStateException("unexpected topic " + publish.getTopic()));
    Map<String, String> properties = new LinkedHashMap<>();
    publish
        .getUserProperties()
        .asList()
        .forEach(p -> properties.put(p.getName().toString(), p.getValue().toString()));
    byte[] correlation = publish.getCorrelationData().map(TestDevice::bytes).orElse(null);
    inbox
        .get(topic.kind())
        .add(
            new Received(
                publish.getTopic().toString(),
                topic.kind(),
                correlation,
                properties,
                publish.getPayloadAsBytes(),
                publish.getQos().getCode()));
  }

  /** The next message of {@code kind}, failing the test when none arrives. */
  public Received next(MessageKind kind) throws InterruptedException {
    Received received = inbox.get(kind).poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(received).as("a %s message for device %s", kind.suffix(), id).isNotNull();
    return received;
  }

  /** The next message of {@code kind} whose correlation data is {@code taskId}'s text. */
  public Received next(MessageKind kind, UUID taskId) throws InterruptedException {
    while (true) {
      Received received = next(kind);
      if (taskId.toString().equals(received.correlation())) {
        return received;
      }
    }
  }

  /** Messages of {@code kind} received and not taken yet. */
  public int pending(MessageKind kind) {
    return inbox.get(kind).size();
  }

  /** Publishes {@code dev/<SN>/<kind>} with correlation data = the task id's text. */
  public void send(MessageKind kind, UUID taskId, Map<String, String> properties, String payload)
      throws Exception {
    send(kind, TaskIds.toCorrelationData(taskId), properties, payload);
  }

  /** Publishes {@code dev/<SN>/<kind>} with any correlation data (null for none). */
  public void send(
      MessageKind kind, byte[] correlationData, Map<String, String> properties, String payload)
      throws Exception {
    sendTo("dev/" + id + "/" + kind.suffix(), correlationData, properties, payload);
  }

  /** Publishes to any topic. */
  public void sendTo(
      String topic, byte[] correlationData, Map<String, String> properties, String payload)
      throws Exception {
    Mqtt5UserPropertiesBuilder userProperties = Mqtt5UserProperties.builder();
    properties.forEach(userProperties::add);
    Mqtt5PublishBuilder.Complete publish =
        Mqtt5Publish.builder()
            .topic(topic)
            .qos(MqttQos.AT_LEAST_ONCE)
            .userProperties(userProperties.build())
            .payload(payload == null ? new byte[0] : payload.getBytes(StandardCharsets.UTF_8));
    if (correlationData != null) {
      publish = publish.correlationData(correlationData);
    }
    client.publish(publish.build()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  /** Publishes any message, exactly as built (topic, properties, payload). */
  public void publish(Mqtt5Publish publish) throws Exception {
    client.publish(publish).get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  /** Every message of {@code kind} received and not taken yet, removed from the inbox. */
  public java.util.List<Received> drain(MessageKind kind) {
    java.util.List<Received> drained = new java.util.ArrayList<>();
    inbox.get(kind).drainTo(drained);
    return drained;
  }

  public void ack(UUID taskId) throws Exception {
    send(MessageKind.ACK, taskId, Map.of(), null);
  }

  public void request(UUID taskId) throws Exception {
    send(MessageKind.REQUEST, taskId, Map.of(), null);
  }

  public void poll() throws Exception {
    request(TaskIds.ZERO);
  }

  public void result(UUID taskId, int statusCode, String json) throws Exception {
    send(
        MessageKind.RESULT,
        taskId,
        Map.of(UserProperties.STATUS_CODE, Integer.toString(statusCode)),
        json);
  }

  @Override
  public void close() {
    try {
      client.disconnect().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      // The broker drops the connection anyway.
    }
  }

  private static byte[] bytes(ByteBuffer buffer) {
    byte[] bytes = new byte[buffer.remaining()];
    buffer.duplicate().get(bytes);
    return bytes;
  }
}
