package io.asyncrpc.swarm;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperties;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperty;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.asyncrpc.protocol.DeviceId;
import io.asyncrpc.protocol.MessageKind;
import io.asyncrpc.protocol.ProtocolError;
import io.asyncrpc.protocol.StatusCodes;
import io.asyncrpc.protocol.TaskIds;
import io.asyncrpc.protocol.Topic;
import io.asyncrpc.protocol.UserProperties;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One simulated device: the device side of protocol v1, as the device agent does it, with simulated
 * work instead of handlers. State is guarded by the device's monitor; callbacks arrive on the MQTT
 * client's threads and never block.
 */
final class SimulatedDevice {

  private static final byte[] EMPTY = new byte[0];
  private static final byte[] OK_RESULT = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
  private static final byte[] FAILED_RESULT =
      "{\"error\":\"simulated failure\"}".getBytes(StandardCharsets.UTF_8);
  private static final int REMEMBERED_TASKS = 64;

  /** A result waiting for its commit. */
  private record PendingResult(int statusCode, long receivedNanos) {}

  private final String id;
  private final Mqtt5AsyncClient client;
  private final SwarmSettings settings;
  private final SwarmStats stats;
  private final SwarmListener listener;
  private final ScheduledExecutorService timers;
  private final String requestTopic;
  private final String ackTopic;
  private final String resultTopic;
  private final Map<UUID, PendingResult> uncommitted = new HashMap<>();
  private final ArrayDeque<UUID> waiting = new ArrayDeque<>();
  private final Map<UUID, Boolean> committed =
      new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<UUID, Boolean> eldest) {
          return size() > REMEMBERED_TASKS;
        }
      };
  private UUID working;
  private boolean online;
  private boolean subscribedOnce;
  private boolean rejoining;
  private DeviceFault armed;
  private Runnable reconnect = () -> {};

  SimulatedDevice(
      String id,
      Mqtt5AsyncClient client,
      SwarmSettings settings,
      SwarmStats stats,
      SwarmListener listener,
      ScheduledExecutorService timers) {
    DeviceId device = new DeviceId(id);
    this.id = id;
    this.client = client;
    this.settings = settings;
    this.stats = stats;
    this.listener = listener;
    this.timers = timers;
    this.requestTopic = new Topic(device, MessageKind.REQUEST).mqtt();
    this.ackTopic = new Topic(device, MessageKind.ACK).mqtt();
    this.resultTopic = new Topic(device, MessageKind.RESULT).mqtt();
  }

  String id() {
    return id;
  }

  /** Subscribes to {@code srv/<SN>/+} and polls once subscribed: a device may start any time. */
  CompletableFuture<Void> subscribeAndPoll() {
    return client
        .subscribeWith()
        .topicFilter(Topic.subscriptionFilter(new DeviceId(id)))
        .qos(MqttQos.AT_LEAST_ONCE)
        .callback(this::onMessage)
        .send()
        .thenAccept(
            subAck -> {
              boolean wasOnline;
              synchronized (this) {
                wasOnline = online;
                online = true;
                subscribedOnce = true;
                rejoining = false;
              }
              if (!wasOnline) {
                stats.online.incrementAndGet();
              }
              poll();
            });
  }

  /** Polls the head of the FIFO when idle; called by the swarm's poll timer. */
  void pollIfIdle() {
    boolean idle;
    synchronized (this) {
      idle = online && working == null && uncommitted.isEmpty();
    }
    if (idle) {
      poll();
    }
  }

  /** The swarm reconnects this device itself (after a crash or in a storm) and subscribes. */
  synchronized void rejoining() {
    rejoining = true;
  }

  /** Arms {@code fault} for the next task this device receives. */
  synchronized void arm(DeviceFault fault) {
    armed = fault;
  }

  /** How the device comes back after a simulated crash; set by the swarm. */
  synchronized void onCrashReconnect(Runnable reconnect) {
    this.reconnect = reconnect;
  }

  /**
   * The client reconnected by itself after a lost connection; it also subscribes again by itself (a
   * second subscription would deliver every message twice), so the device only polls.
   */
  void reconnected() {
    synchronized (this) {
      if (!subscribedOnce || rejoining || online) {
        return; // the first connection, or a reconnect the swarm drives, subscribes itself
      }
      online = true;
    }
    stats.online.incrementAndGet();
    poll();
  }

  /** Sends a result for a task this device does not hold (a fault: the core must refuse it). */
  void sendStrayResult(UUID taskId) {
    sendResult(taskId, StatusCodes.OK);
  }

  void disconnected() {
    synchronized (this) {
      if (!online) {
        return;
      }
      online = false;
    }
    stats.online.decrementAndGet();
  }

  CompletableFuture<Void> close() {
    disconnected();
    return client.disconnect().exceptionally(e -> null);
  }

  private void onMessage(Mqtt5Publish publish) {
    Optional<Topic> topic = Topic.parseMqtt(publish.getTopic().toString());
    if (topic.isEmpty()) {
      return;
    }
    Map<String, String> properties = properties(publish);
    UUID taskId = taskId(publish, properties);
    listener.messageReceived(id, topic.get().kind(), taskId, properties, System.nanoTime());
    switch (topic.get().kind()) {
      case TRIGGER -> onTrigger(taskId);
      case RESPONSE -> onResponse(taskId, properties);
      case COMMIT -> onCommit(taskId);
      case ERROR -> onError(taskId, properties);
      default -> {}
    }
  }

  private void onTrigger(UUID taskId) {
    long now = System.nanoTime();
    if (taskId == null) {
      return;
    }
    stats.triggers.increment();
    listener.taskTriggered(id, taskId, now);
    if (settings.acknowledgeTriggers()) {
      send(ackTopic, taskId, Mqtt5UserProperties.of(), EMPTY);
    }
    boolean requestNow;
    synchronized (this) {
      requestNow = working == null;
      if (!requestNow && !waiting.contains(taskId)) {
        waiting.add(taskId);
      }
    }
    if (requestNow) {
      request(taskId);
    }
  }

  private void onResponse(UUID taskId, Map<String, String> properties) {
    long now = System.nanoTime();
    if (taskId == null) {
      return;
    }
    if (StatusCodes.parse(properties.get(UserProperties.STATUS_CODE)) == StatusCodes.NO_TASK) {
      stats.noTask.increment();
      return;
    }
    PendingResult resend;
    synchronized (this) {
      if (committed.containsKey(taskId)) {
        stats.duplicates.increment();
        return;
      }
      resend = uncommitted.get(taskId);
      if (resend == null) {
        if (working != null && !working.equals(taskId)) {
          // The core handed out a second task while this one works: queue it, it is ours.
          waiting.add(taskId);
          return;
        }
        if (taskId.equals(working)) {
          stats.duplicates.increment();
          return;
        }
        working = taskId;
      }
    }
    if (resend != null) {
      stats.duplicates.increment();
      sendResult(taskId, resend.statusCode());
      return;
    }
    stats.tasks.increment();
    listener.taskReceived(id, taskId, now);
    DeviceFault fault;
    synchronized (this) {
      fault = armed;
      armed = null;
    }
    if (fault == DeviceFault.CRASH_AFTER_RESPONSE) {
      crash();
      return;
    }
    long workNanos =
        fault == DeviceFault.LATE_RESULT ? untilPastDeadline(properties, now) : workNanos();
    int status =
        ThreadLocalRandom.current().nextDouble() < settings.failureRate() ? 500 : StatusCodes.OK;
    boolean twice = fault == DeviceFault.DUPLICATE_RESULT;
    if (workNanos == 0) {
      finishWork(taskId, status, now, twice);
    } else {
      timers.schedule(
          () -> finishWork(taskId, status, now, twice), workNanos, TimeUnit.NANOSECONDS);
    }
  }

  /** Forgets everything and drops the connection, as a device losing power; back in a second. */
  private void crash() {
    Runnable comeBack;
    synchronized (this) {
      uncommitted.clear();
      waiting.clear();
      committed.clear();
      working = null;
      comeBack = reconnect;
    }
    disconnected();
    client.disconnect().whenComplete((ok, e) -> timers.schedule(comeBack, 1, TimeUnit.SECONDS));
  }

  private static long untilPastDeadline(Map<String, String> properties, long nowNanos) {
    try {
      java.time.Instant deadline =
          java.time.Instant.parse(properties.getOrDefault(UserProperties.DEADLINE, ""));
      long millis = java.time.Duration.between(java.time.Instant.now(), deadline).toMillis() + 1000;
      return TimeUnit.MILLISECONDS.toNanos(Math.max(millis, 0));
    } catch (java.time.format.DateTimeParseException e) {
      return 0;
    }
  }

  private void finishWork(UUID taskId, int status, long receivedNanos, boolean twice) {
    synchronized (this) {
      uncommitted.put(taskId, new PendingResult(status, receivedNanos));
      working = null;
    }
    sendResult(taskId, status);
    if (twice) {
      sendResult(taskId, status);
    }
    scheduleResultRetry(taskId);
  }

  private void scheduleResultRetry(UUID taskId) {
    timers.schedule(
        () -> {
          PendingResult pending;
          synchronized (this) {
            pending = online ? uncommitted.get(taskId) : null;
          }
          if (pending != null) {
            sendResult(taskId, pending.statusCode());
          }
          boolean again;
          synchronized (this) {
            again = uncommitted.containsKey(taskId);
          }
          if (again) {
            scheduleResultRetry(taskId);
          }
        },
        settings.resultRetry().toNanos(),
        TimeUnit.NANOSECONDS);
  }

  private void onCommit(UUID taskId) {
    long now = System.nanoTime();
    PendingResult pending;
    UUID next;
    synchronized (this) {
      pending = uncommitted.remove(taskId);
      committed.put(taskId, Boolean.TRUE);
      next = working == null ? waiting.poll() : null;
    }
    if (pending == null) {
      return;
    }
    stats.commits.increment();
    stats.recordTaskToCommit(now - pending.receivedNanos());
    listener.taskCommitted(id, taskId, now);
    if (next != null) {
      request(next);
    } else {
      poll();
    }
  }

  private void onError(UUID taskId, Map<String, String> properties) {
    stats.errors.increment();
    String code = properties.getOrDefault(UserProperties.ERROR_CODE, "");
    if (taskId != null
        && (code.equals(ProtocolError.TASK_FINISHED.code())
            || code.equals(ProtocolError.UNKNOWN_TASK.code()))) {
      synchronized (this) {
        // Nothing will commit this result: stop sending it.
        uncommitted.remove(taskId);
        committed.put(taskId, Boolean.TRUE);
      }
    }
  }

  private void poll() {
    request(TaskIds.ZERO);
  }

  private void request(UUID taskId) {
    stats.requests.increment();
    send(requestTopic, taskId, Mqtt5UserProperties.of(), EMPTY);
  }

  private void sendResult(UUID taskId, int statusCode) {
    stats.results.increment();
    listener.resultSent(id, taskId, statusCode, System.nanoTime());
    if (!StatusCodes.isSuccess(statusCode)) {
      stats.failedResults.increment();
    }
    send(
        resultTopic,
        taskId,
        Mqtt5UserProperties.of(
            Mqtt5UserProperty.of(UserProperties.STATUS_CODE, Integer.toString(statusCode))),
        StatusCodes.isSuccess(statusCode) ? OK_RESULT : FAILED_RESULT);
  }

  private void send(String topic, UUID taskId, Mqtt5UserProperties properties, byte[] payload) {
    client
        .publishWith()
        .topic(topic)
        .qos(MqttQos.AT_LEAST_ONCE)
        .correlationData(TaskIds.toCorrelationData(taskId))
        .userProperties(properties)
        .payload(payload)
        .send();
  }

  private long workNanos() {
    long min = settings.minWork().toNanos();
    long max = settings.maxWork().toNanos();
    return min == max ? min : ThreadLocalRandom.current().nextLong(min, max + 1);
  }

  private static Map<String, String> properties(Mqtt5Publish publish) {
    Map<String, String> properties = new HashMap<>();
    for (Mqtt5UserProperty property : publish.getUserProperties().asList()) {
      properties.putIfAbsent(property.getName().toString(), property.getValue().toString());
    }
    return properties;
  }

  private static UUID taskId(Mqtt5Publish publish, Map<String, String> properties) {
    Optional<ByteBuffer> data = publish.getCorrelationData();
    if (data.isPresent()) {
      ByteBuffer buffer = data.get().duplicate();
      byte[] bytes = new byte[buffer.remaining()];
      buffer.get(bytes);
      return TaskIds.fromCorrelationData(bytes).orElse(null);
    }
    return TaskIds.fromText(properties.get(UserProperties.CORRELATION_DATA)).orElse(null);
  }
}
