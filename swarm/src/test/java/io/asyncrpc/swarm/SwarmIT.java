package io.asyncrpc.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.asyncrpc.protocol.CoreCodec;
import io.asyncrpc.protocol.DeviceEvent;
import io.asyncrpc.protocol.MessageKind;
import io.asyncrpc.protocol.ProtocolError;
import io.asyncrpc.protocol.ProtocolJson;
import io.asyncrpc.protocol.ProtocolVersion;
import io.asyncrpc.protocol.PushedTask;
import io.asyncrpc.protocol.StatusCodes;
import io.asyncrpc.protocol.TaskIds;
import io.asyncrpc.protocol.Topic;
import io.asyncrpc.protocol.UserProperties;
import io.asyncrpc.protocol.WireMessage;
import io.asyncrpc.protocol.hivemq.PublishMapping;
import io.asyncrpc.testsupport.Endpoints;
import io.asyncrpc.testsupport.Infrastructure;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Verifies that simulated devices speak the device protocol over the real broker: the test plays
 * the core with its own MQTT 5 client (logged in as the services' user), publishing what {@link
 * CoreCodec} builds; it answers requests (from a per-device FIFO) and commits results, in v2 with
 * the next task of the FIFO in the commit, and answers events on {@code eva} (every fourth id
 * refused).
 */
class SwarmIT {

  /** Long enough that no periodic poll falls within a test. */
  private static final Duration NO_PERIODIC_POLL = Duration.ofDays(30);

  private final Endpoints endpoints = Infrastructure.endpoints();
  private final String prefix = "swarm-it-" + UUID.randomUUID().toString().substring(0, 6);
  private final CoreCodec codec = new CoreCodec(new ProtocolJson());
  private final Map<UUID, String> handedOut = new ConcurrentHashMap<>();
  private final Map<String, Queue<UUID>> fifo = new ConcurrentHashMap<>();
  private final Map<UUID, Integer> resultStatus = new ConcurrentHashMap<>();
  private final Map<UUID, Integer> resultsSeen = new ConcurrentHashMap<>();
  private final Map<String, List<ProtocolVersion>> requests = new ConcurrentHashMap<>();
  private final List<ProtocolVersion> resultVersions = new CopyOnWriteArrayList<>();
  private final ProtocolJson json = new ProtocolJson();
  private final Map<String, List<WireMessage>> events = new ConcurrentHashMap<>();
  private final AtomicInteger eventsRefused = new AtomicInteger();
  private final Map<UUID, List<WireMessage>> progress = new ConcurrentHashMap<>();
  private final Map<UUID, String> cancelAnswers = new ConcurrentHashMap<>();
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
    assertThat(resultVersions).containsOnly(ProtocolVersion.V1);
    assertThat(stats.events()).as("no event rate, no events").isZero();
    assertThat(progress).as("no progress unless asked").isEmpty();
  }

  @Test
  void devicesReportProgressHalfwayThroughTheirWork() {
    swarm =
        startSwarm(
            2,
            settings ->
                settings
                    .withWork(Duration.ofMillis(300), Duration.ofMillis(400), 0)
                    .withProgress(true));
    List<UUID> tasks = new ArrayList<>();
    for (String device : swarm.settings().deviceIds()) {
      UUID task = UUID.randomUUID();
      tasks.add(task);
      handedOut.put(task, device);
      trigger(device, task);
    }

    await().atMost(Duration.ofSeconds(30)).until(() -> swarm.stats().snapshot().commits() == 2);

    assertThat(progress).containsOnlyKeys(tasks);
    for (UUID task : tasks) {
      assertThat(progress.get(task)).hasSize(1);
      assertThat(json.read(progress.get(task).getFirst().payload()).path("percent").intValue())
          .isEqualTo(50);
    }
    assertThat(swarm.stats().snapshot().progress()).isEqualTo(2);
  }

  @Test
  void aRedeliveredTaskIsNotRunAgain() {
    swarm = startSwarm(1, 0);
    String device = swarm.settings().deviceIds().getFirst();
    UUID task = UUID.randomUUID();
    handedOut.put(task, device);
    trigger(device, task);
    await().atMost(Duration.ofSeconds(30)).until(() -> swarm.stats().snapshot().commits() == 1);

    respond(device, task, ProtocolVersion.V1);

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

  @Test
  void v2DevicesRunPushedTasksAndEachCommitsNextTaskWithoutPolling() {
    int devices = 4;
    // Three tasks wait for each device: the poll after connecting gets the first, the commits
    // carry the others, and the last commit carries none.
    for (int i = 0; i < devices; i++) {
      fifo.put(prefix + "-" + i, new ConcurrentLinkedQueue<>(List.of(id(), id(), id())));
    }
    swarm = startSwarm(devices, s -> s.withProtocol(ProtocolVersion.V2));
    await().atMost(Duration.ofSeconds(30)).until(() -> swarm.stats().snapshot().commits() == 12);

    // Then the core pushes one more to each device, unasked.
    for (String device : swarm.settings().deviceIds()) {
      push(device, id());
    }

    await().atMost(Duration.ofSeconds(30)).until(() -> swarm.stats().snapshot().commits() == 16);
    SwarmStats.Snapshot stats = swarm.stats().snapshot();
    assertThat(stats.tasks()).isEqualTo(16);
    assertThat(stats.duplicates()).isZero();
    assertThat(resultsSeen).hasSize(16);
    assertThat(resultVersions).hasSize(16).containsOnly(ProtocolVersion.V2);
    assertThat(requests.values())
        .as("each device polled once, after connecting, and declared v2")
        .hasSize(devices)
        .allSatisfy(r -> assertThat(r).containsExactly(ProtocolVersion.V2));
  }

  @Test
  void v2DevicesAnswerACancelStoppedWhileWorkingAndSendNoResult() throws Exception {
    swarm =
        startSwarm(
            1,
            s ->
                s.withProtocol(ProtocolVersion.V2)
                    .withWork(Duration.ofSeconds(3), Duration.ofSeconds(3), 0));
    String device = swarm.settings().deviceIds().getFirst();
    UUID working = id();
    push(device, working);
    await().until(() -> swarm.stats().snapshot().tasks() == 1);

    publish(codec.cancel(device, working, Instant.now().plusSeconds(3600), Instant.now()));
    UUID unknown = id();
    publish(codec.cancel(device, unknown, Instant.now().plusSeconds(3600), Instant.now()));

    await().atMost(Duration.ofSeconds(10)).until(() -> cancelAnswers.size() == 2);
    assertThat(cancelAnswers).containsEntry(working, "stopped").containsEntry(unknown, "unknown");
    // Past the end of the simulated work: the stopped task's result never comes.
    Thread.sleep(3500);
    assertThat(resultsSeen).doesNotContainKey(working);
  }

  @Test
  void aMixedSwarmSpeaksBothVersions() {
    int devices = 4;
    for (int i = 0; i < devices; i++) {
      fifo.put(prefix + "-" + i, new ConcurrentLinkedQueue<>(List.of(id(), id())));
    }
    swarm = startSwarm(devices, s -> s.withV2Fraction(0.5));

    await().atMost(Duration.ofSeconds(30)).until(() -> swarm.stats().snapshot().commits() == 8);
    for (int i = 0; i < devices; i++) {
      String device = prefix + "-" + i;
      if (swarm.settings().protocolOf(i) == ProtocolVersion.V2) {
        // The poll after connecting; the first commit carries the second task.
        assertThat(requests.get(device)).as(device).containsExactly(ProtocolVersion.V2);
      } else {
        // The poll after connecting and one after each commit (the last answered with no task).
        await()
            .atMost(Duration.ofSeconds(30))
            .untilAsserted(
                () ->
                    assertThat(requests.get(device))
                        .as(device)
                        .containsExactly(
                            ProtocolVersion.V1, ProtocolVersion.V1, ProtocolVersion.V1));
      }
    }
    assertThat(resultVersions).filteredOn(v -> v == ProtocolVersion.V2).hasSize(4);
  }

  @Test
  void devicesPublishEventsWithIncreasingIdsAndCountTheAnswers() {
    swarm = startSwarm(3, s -> s.withEventRate(20));

    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              SwarmStats.Snapshot stats = swarm.stats().snapshot();
              return stats.eventsStored() >= 30 && stats.eventsRefused() >= 3;
            });

    SwarmStats.Snapshot stats = swarm.stats().snapshot();
    assertThat(stats.events()).isGreaterThanOrEqualTo(stats.eventsStored() + stats.eventsRefused());
    assertThat(stats.eventsRefused()).isLessThanOrEqualTo(eventsRefused.get());
    assertThat(swarm.stats().takeEventRoundTrip().getTotalCount())
        .isGreaterThanOrEqualTo(stats.eventsStored() + stats.eventsRefused());
    assertThat(events).hasSize(3);
    events.forEach(
        (device, sent) -> {
          List<WireMessage> copy = List.copyOf(sent);
          for (int i = 0; i < copy.size(); i++) {
            WireMessage event = copy.get(i);
            String id = Integer.toString(i + 1);
            assertThat(event.property(UserProperties.DEV_EVENT_ID)).as(device).isEqualTo(id);
            assertThat(event.property(UserProperties.EVENT_TYPE_CODE)).isEqualTo("13");
            assertThat(new String(event.correlationData(), StandardCharsets.UTF_8)).isEqualTo(id);
            JsonNode payload = json.read(event.payload());
            assertThat(payload.path("101").asLong()).isEqualTo(i + 1);
            assertThat(payload.path("102").asString())
                .isEqualTo(event.property(UserProperties.DEV_TIMESTAMP));
            assertThat(payload.path("200").asLong()).isEqualTo(13);
            assertThat(payload.path("300").isArray()).isTrue();
          }
        });
  }

  private Swarm startSwarm(int devices, double failureRate) {
    return startSwarm(
        SwarmSettings.of(endpoints.amqpHost(), endpoints.mqttPort(), prefix, devices)
            .withCredentials(endpoints.deviceUser(), endpoints.devicePassword())
            .withWork(Duration.ofMillis(1), Duration.ofMillis(20), failureRate)
            .withPolling(Duration.ofSeconds(30), Duration.ofSeconds(2))
            .withAcknowledgements(true));
  }

  private Swarm startSwarm(int devices, UnaryOperator<SwarmSettings> configure) {
    return startSwarm(
        configure.apply(
            SwarmSettings.of(endpoints.amqpHost(), endpoints.mqttPort(), prefix, devices)
                .withCredentials(endpoints.deviceUser(), endpoints.devicePassword())
                .withWork(Duration.ofMillis(1), Duration.ofMillis(20), 0)
                .withPolling(NO_PERIODIC_POLL, Duration.ofSeconds(2))));
  }

  private Swarm startSwarm(SwarmSettings settings) {
    Swarm started = new Swarm(settings, SwarmListener.NONE);
    started.start().orTimeout(60, TimeUnit.SECONDS).join();
    assertThat(started.stats().snapshot().online()).isEqualTo(settings.deviceIds().size());
    return started;
  }

  /**
   * The core's side: answers requests by id and zero-UUID polls (the head of the device's FIFO, or
   * no task), and commits results; in the version the device declared.
   */
  private void playCore(Mqtt5Publish publish) {
    WireMessage message = PublishMapping.toWire(publish);
    Topic topic = Topic.parseMqtt(message.topic()).orElse(null);
    if (topic == null || !topic.device().value().startsWith(prefix)) {
      return;
    }
    String device = topic.device().value();
    if (topic.kind() == MessageKind.EVENT) {
      answerEvent(device, message);
      return;
    }
    if (topic.kind() == MessageKind.PROGRESS) {
      TaskIds.fromCorrelationData(message.correlationData())
          .ifPresent(
              id -> progress.computeIfAbsent(id, t -> new CopyOnWriteArrayList<>()).add(message));
      return;
    }
    UUID task = TaskIds.fromCorrelationData(message.correlationData()).orElseThrow();
    ProtocolVersion version = ProtocolVersion.declaredBy(message.property(UserProperties.PROTOCOL));
    switch (topic.kind()) {
      case REQUEST -> {
        requests.computeIfAbsent(device, d -> new CopyOnWriteArrayList<>()).add(version);
        if (task.equals(TaskIds.ZERO)) {
          UUID head = next(device);
          if (head == null) {
            publish(codec.noTask(device));
          } else {
            respond(device, head, version);
          }
        } else if (device.equals(handedOut.get(task))) {
          respond(device, task, version);
        }
      }
      case CANCEL_ANSWER ->
          cancelAnswers.put(task, message.property(UserProperties.CANCEL_OUTCOME));
      case RESULT -> {
        String status = message.property(UserProperties.STATUS_CODE);
        resultStatus.put(task, status == null ? -1 : StatusCodes.parse(status));
        resultsSeen.merge(task, 1, Integer::sum);
        resultVersions.add(version);
        UUID next = version == ProtocolVersion.V2 ? next(device) : null;
        publish(
            codec.commit(
                device,
                task,
                UUID.randomUUID(),
                "DONE",
                version,
                next == null ? null : lockedTask(next)));
      }
      default -> {}
    }
  }

  /** Stores the event and answers it as the core does; every fourth id is refused. */
  private void answerEvent(String device, WireMessage message) {
    events.computeIfAbsent(device, d -> new CopyOnWriteArrayList<>()).add(message);
    DeviceEvent event =
        DeviceEvent.parse(
                message.property(UserProperties.EVENT_TYPE_CODE),
                message.property(UserProperties.DEV_EVENT_ID),
                message.property(UserProperties.DEV_TIMESTAMP))
            .orElseThrow();
    String refusal = null;
    if (event.deviceEventId() % 4 == 0) {
      refusal = ProtocolError.INVALID_EVENT.code();
      eventsRefused.incrementAndGet();
    }
    byte[] correlation = message.correlationData();
    publish(
        codec.eventAnswer(
            device,
            event,
            correlation == null ? null : new String(correlation, StandardCharsets.UTF_8),
            refusal));
  }

  private UUID next(String device) {
    Queue<UUID> queue = fifo.get(device);
    return queue == null ? null : queue.poll();
  }

  private void trigger(String device, UUID task) {
    Instant now = Instant.now();
    publish(codec.trigger(device, task, "work", 0, now.plusSeconds(3600), now));
  }

  private void respond(String device, UUID task, ProtocolVersion version) {
    publish(codec.response(device, lockedTask(task), version, Instant.now()));
  }

  private void push(String device, UUID task) {
    respond(device, task, ProtocolVersion.V2);
  }

  private static PushedTask lockedTask(UUID task) {
    Instant now = Instant.now();
    return new PushedTask(
        task, "work", 1, now.plusSeconds(3600), now.plusSeconds(60), null, "{\"n\":1}");
  }

  private void publish(WireMessage message) {
    core.publish(PublishMapping.toPublish(message));
  }

  private static UUID id() {
    return UUID.randomUUID();
  }
}
