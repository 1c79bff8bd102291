package io.asyncrpc.agent;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.asyncrpc.protocol.CoreCodec;
import io.asyncrpc.protocol.DeviceEvent;
import io.asyncrpc.protocol.ProtocolJson;
import io.asyncrpc.protocol.ProtocolVersion;
import io.asyncrpc.protocol.PushedTask;
import io.asyncrpc.protocol.UserProperties;
import io.asyncrpc.protocol.WireMessage;
import io.asyncrpc.protocol.hivemq.PublishMapping;
import io.asyncrpc.testsupport.Endpoints;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Plays the core in integration tests: an MQTT 5 client logged in as the services' user, which
 * subscribes to one device's {@code dev/<SN>/+} and publishes to its {@code srv/<SN>/...} what
 * {@link CoreCodec} builds, as core-service does: tasks, commits, and answers to events.
 */
final class TestCore implements AutoCloseable {

  private static final Duration DEADLINE = Duration.ofHours(1);
  private static final Duration LEASE = Duration.ofSeconds(30);

  /**
   * A message the device sent.
   *
   * @param kind the last topic segment, for example {@code res}
   * @param correlation the correlation data as text (the agent sends the 36-char form)
   * @param properties the user properties, the first value of each name
   * @param payload the payload as text
   * @param message the message as it arrived
   */
  record Received(
      String kind,
      String correlation,
      Map<String, String> properties,
      String payload,
      WireMessage message) {}

  private final String deviceId;
  private final Mqtt5AsyncClient client;
  private final CoreCodec codec = new CoreCodec(new ProtocolJson());
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

  /** The events ({@code evt}) the device sent so far, resends included, in order. */
  List<Received> events() {
    return received.stream().filter(m -> m.kind().equals("evt")).toList();
  }

  /**
   * A task as the core locks it for the device: attempt 1, deadline in an hour, lease of 30 s.
   *
   * @param payload the task's JSON payload
   */
  static PushedTask task(UUID taskId, String methodCode, String payload) {
    return task(taskId, methodCode, 1, null, payload);
  }

  /** A task as the core locks it for the device, with its attempt and external id. */
  static PushedTask task(
      UUID taskId, String methodCode, int attempt, String externalId, String payload) {
    Instant now = Instant.now();
    return new PushedTask(
        taskId, methodCode, attempt, now.plus(DEADLINE), now.plus(LEASE), externalId, payload);
  }

  /** {@code tsk} (v1): the task is waiting. */
  void trigger(UUID taskId, String methodCode) throws Exception {
    Instant now = Instant.now();
    publish(codec.trigger(deviceId, taskId, methodCode, 0, now.plus(DEADLINE), now));
  }

  /** {@code rsp} (v1): hands the task out, as the answer to a request. */
  void respond(PushedTask task) throws Exception {
    publish(codec.response(deviceId, task, ProtocolVersion.V1, Instant.now()));
  }

  /** {@code rsp} (v2): pushes the task, unasked, with its lease. */
  void push(PushedTask task) throws Exception {
    publish(codec.response(deviceId, task, ProtocolVersion.V2, Instant.now()));
  }

  /** {@code rsp} with status 204: no task. */
  void noTask() throws Exception {
    publish(codec.noTask(deviceId));
  }

  /** {@code cmt} (v1): the result of {@code taskId} is stored. */
  void commit(UUID taskId) throws Exception {
    publish(codec.commit(deviceId, taskId, UUID.randomUUID(), "DONE", ProtocolVersion.V1, null));
  }

  /** {@code cmt} (v2): the result of {@code taskId} is stored, with {@code next} or none. */
  void commitV2(UUID taskId, PushedTask next) throws Exception {
    publish(codec.commit(deviceId, taskId, UUID.randomUUID(), "DONE", ProtocolVersion.V2, next));
  }

  /** {@code cnl} (v2): the task the device holds was cancelled. */
  void cancel(UUID taskId) throws Exception {
    Instant now = Instant.now();
    publish(codec.cancel(deviceId, taskId, now.plus(DEADLINE), now));
  }

  /**
   * {@code eva}: answers {@code event} as the core does, with its type, id and correlation data.
   *
   * @param errorCode why it was not stored, or {@code null}: stored
   */
  void answerEvent(Received event, String errorCode) throws Exception {
    DeviceEvent parsed =
        DeviceEvent.parse(
                event.properties().get(UserProperties.EVENT_TYPE_CODE),
                event.properties().get(UserProperties.DEV_EVENT_ID),
                event.properties().get(UserProperties.DEV_TIMESTAMP))
            .orElseThrow();
    String correlation = event.correlation().isEmpty() ? null : event.correlation();
    publish(codec.eventAnswer(deviceId, parsed, correlation, errorCode));
  }

  @Override
  public void close() {
    client.disconnect().orTimeout(10, TimeUnit.SECONDS).join();
  }

  private void publish(WireMessage message) throws Exception {
    client.publish(PublishMapping.toPublish(message)).get(10, TimeUnit.SECONDS);
  }

  private void record(Mqtt5Publish publish) {
    WireMessage message = PublishMapping.toWire(publish);
    String topic = message.topic();
    byte[] correlation = message.correlationData();
    Map<String, String> properties = new LinkedHashMap<>();
    message.userProperties().forEach(p -> properties.putIfAbsent(p.name(), p.value()));
    received.add(
        new Received(
            topic.substring(topic.lastIndexOf('/') + 1),
            correlation == null ? "" : new String(correlation, StandardCharsets.UTF_8),
            properties,
            new String(message.payload(), StandardCharsets.UTF_8),
            message));
  }
}
