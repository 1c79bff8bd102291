package io.asyncrpc.swarm;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.asyncrpc.protocol.CancelOutcome;
import io.asyncrpc.protocol.DeviceBound;
import io.asyncrpc.protocol.DeviceCodec;
import io.asyncrpc.protocol.DeviceEvent;
import io.asyncrpc.protocol.DeviceId;
import io.asyncrpc.protocol.MessageKind;
import io.asyncrpc.protocol.ProgressReport;
import io.asyncrpc.protocol.ProtocolError;
import io.asyncrpc.protocol.ProtocolJson;
import io.asyncrpc.protocol.ProtocolVersion;
import io.asyncrpc.protocol.StatusCodes;
import io.asyncrpc.protocol.TaskIds;
import io.asyncrpc.protocol.Topic;
import io.asyncrpc.protocol.UserProperties;
import io.asyncrpc.protocol.WireMessage;
import io.asyncrpc.protocol.hivemq.PublishMapping;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One simulated device: the device side of the protocol (v1, or v2 with pushed tasks and the next
 * task in the commit), as the device agent does it, with simulated work instead of handlers. Its
 * messages are built and read by the protocol's {@link DeviceCodec}. State is guarded by the
 * device's monitor; callbacks arrive on the MQTT client's threads and never block.
 */
final class SimulatedDevice {

  private static final ProtocolJson JSON = new ProtocolJson();
  private static final String OK_RESULT = "{\"ok\":true}";
  private static final String FAILED_RESULT = "{\"error\":\"simulated failure\"}";
  private static final int REMEMBERED_TASKS = 64;

  /** The type of the events a simulated device publishes: the seed's 13, a cell opened. */
  static final long EVENT_TYPE = 13;

  /** Events awaiting their answer, per device; older ones are forgotten (counted unanswered). */
  private static final int PENDING_EVENTS = 256;

  /** A result waiting for its commit. */
  private record PendingResult(int statusCode, long receivedNanos) {}

  /** A task handed to this device while it worked on another, run next. */
  private record Held(DeviceBound.Response task, long receivedNanos) {
    UUID taskId() {
      return task.taskId();
    }
  }

  private final String id;
  private final Mqtt5AsyncClient client;
  private final SwarmSettings settings;
  private final SwarmStats stats;
  private final SwarmListener listener;
  private final ScheduledExecutorService timers;
  private final DeviceCodec codec;
  private final Map<UUID, PendingResult> uncommitted = new HashMap<>();
  private final ArrayDeque<UUID> waiting = new ArrayDeque<>();
  private final ArrayDeque<Held> held = new ArrayDeque<>();
  private final Map<UUID, Boolean> committed =
      new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<UUID, Boolean> eldest) {
          return size() > REMEMBERED_TASKS;
        }
      };
  private final Map<Long, Long> eventsSent =
      new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Long> eldest) {
          return size() > PENDING_EVENTS;
        }
      };

  /** Tasks cancelled while their simulated work ran: their result is never sent. */
  private final Set<UUID> cancelled = new HashSet<>();

  private long lastEventId;
  private @Nullable UUID working;
  private boolean online;
  private boolean subscribedOnce;
  private boolean rejoining;
  private @Nullable DeviceFault armed;
  private Runnable reconnect = () -> {};

  SimulatedDevice(
      String id,
      ProtocolVersion protocol,
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
    this.codec = new DeviceCodec(device, protocol, JSON);
  }

  String id() {
    return id;
  }

  ProtocolVersion protocol() {
    return codec.version();
  }

  /** Subscribes to {@code srv/<SN>/+} and polls once subscribed: a device may start any time. */
  CompletableFuture<Void> subscribeAndPoll() {
    return client
        .subscribeWith()
        .topicFilter(Topic.subscriptionFilter(codec.device()))
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

  /**
   * Publishes the next device event when online; called by the swarm's event timer. Ids increase
   * from 1 (0 is not answered); the correlation data is the id's text; the payload the seed's
   * numbered tags: {@code {"101": id, "102": epochSeconds, "200": type, "300": [...]}}.
   */
  void publishEvent() {
    long id;
    long now = System.nanoTime();
    synchronized (this) {
      if (!online) {
        return;
      }
      id = ++lastEventId;
      eventsSent.put(id, now);
    }
    long epochSeconds = System.currentTimeMillis() / 1000;
    String payload =
        "{\"101\":"
            + id
            + ",\"102\":"
            + epochSeconds
            + ",\"200\":"
            + EVENT_TYPE
            + ",\"300\":[{\"cell\":"
            + id % 16
            + ",\"state\":\"open\"}]}";
    stats.events.increment();
    send(
        codec.event(
            new DeviceEvent(EVENT_TYPE, id, Instant.ofEpochSecond(epochSeconds)),
            Long.toString(id),
            payload));
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
    long now = System.nanoTime();
    WireMessage message = PublishMapping.toWire(publish);
    switch (codec.decode(message)) {
      case DeviceBound.Trigger trigger -> {
        report(MessageKind.TRIGGER, trigger.taskId(), message, now);
        onTrigger(trigger.taskId(), now);
      }
      case DeviceBound.Response response -> {
        report(MessageKind.RESPONSE, response.taskId(), message, now);
        onResponse(response, now);
      }
      case DeviceBound.Commit commit -> {
        report(MessageKind.COMMIT, commit.taskId(), message, now);
        onCommit(commit, now);
      }
      case DeviceBound.EventAnswer answer -> {
        report(MessageKind.EVENT_ANSWER, null, message, now);
        onEventAnswer(answer, now);
      }
      case DeviceBound.Error error -> {
        report(MessageKind.ERROR, error.taskId(), message, now);
        onError(error);
      }
      case DeviceBound.Cancel cancel -> {
        report(MessageKind.CANCEL, cancel.taskId(), message, now);
        onCancel(cancel.taskId());
      }
      case DeviceBound.Invalid invalid -> {}
    }
  }

  private void report(MessageKind kind, @Nullable UUID taskId, WireMessage message, long now) {
    Map<String, String> properties = new HashMap<>();
    message.userProperties().forEach(p -> properties.putIfAbsent(p.name(), p.value()));
    listener.messageReceived(id, kind, taskId, properties, now);
  }

  /**
   * {@code cnl} (v2): a task whose simulated work still runs is stopped (its result is never sent),
   * one handed out but not started is dropped; one whose result is made was finished.
   */
  private void onCancel(UUID taskId) {
    if (codec.version() != ProtocolVersion.V2) {
      return;
    }
    CancelOutcome outcome;
    synchronized (this) {
      if (taskId.equals(working)) {
        cancelled.add(taskId);
        outcome = CancelOutcome.STOPPED;
      } else if (held.removeIf(h -> h.taskId().equals(taskId))) {
        outcome = CancelOutcome.STOPPED;
      } else if (uncommitted.containsKey(taskId) || committed.containsKey(taskId)) {
        outcome = CancelOutcome.FINISHED;
      } else {
        outcome = CancelOutcome.UNKNOWN;
      }
    }
    send(codec.cancelAnswer(taskId, outcome));
  }

  private void onTrigger(UUID taskId, long now) {
    stats.triggers.increment();
    listener.taskTriggered(id, taskId, now);
    if (settings.acknowledgeTriggers()) {
      send(codec.ack(taskId));
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

  /** A task handed to this device: the answer to a request, a v2 push, or a v2 commit's next. */
  private void onResponse(DeviceBound.Response response, long now) {
    if (response.isNoTask()) {
      stats.noTask.increment();
      return;
    }
    UUID taskId = response.taskId();
    PendingResult resend;
    synchronized (this) {
      if (committed.containsKey(taskId)) {
        stats.duplicates.increment();
        return;
      }
      resend = uncommitted.get(taskId);
      if (resend == null) {
        if (taskId.equals(working) || held.stream().anyMatch(h -> h.taskId().equals(taskId))) {
          stats.duplicates.increment();
          return;
        }
        if (working != null) {
          // Handed out while another task works (a push, or two requests answered): it is locked
          // for this device, so it runs next; asking for it again would only be refused.
          held.add(new Held(response, now));
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
    work(response, now);
  }

  /** Runs {@code task}, which is now {@code working}. */
  private void work(DeviceBound.Response task, long receivedNanos) {
    UUID taskId = task.taskId();
    stats.tasks.increment();
    listener.taskReceived(id, taskId, receivedNanos);
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
        fault == DeviceFault.LATE_RESULT ? untilPastDeadline(task.deadline()) : workNanos();
    int status =
        ThreadLocalRandom.current().nextDouble() < settings.failureRate() ? 500 : StatusCodes.OK;
    boolean twice = fault == DeviceFault.DUPLICATE_RESULT;
    if (workNanos == 0) {
      finishWork(taskId, status, receivedNanos, twice);
    } else {
      if (settings.progress()) {
        timers.schedule(() -> reportProgress(taskId), workNanos / 2, TimeUnit.NANOSECONDS);
      }
      timers.schedule(
          () -> finishWork(taskId, status, receivedNanos, twice), workNanos, TimeUnit.NANOSECONDS);
    }
  }

  /** Halfway through the work of {@code taskId}: 50 percent, if the device still works on it. */
  private void reportProgress(UUID taskId) {
    synchronized (this) {
      if (!taskId.equals(working)) {
        return;
      }
    }
    send(codec.progress(taskId, new ProgressReport(50, "halfway", null)));
    stats.progress.increment();
  }

  /** Forgets everything and drops the connection, as a device losing power; back in a second. */
  private void crash() {
    Runnable comeBack;
    synchronized (this) {
      uncommitted.clear();
      waiting.clear();
      held.clear();
      committed.clear();
      cancelled.clear();
      eventsSent.clear();
      working = null;
      comeBack = reconnect;
    }
    disconnected();
    client.disconnect().whenComplete((ok, e) -> timers.schedule(comeBack, 1, TimeUnit.SECONDS));
  }

  private static long untilPastDeadline(@Nullable Instant deadline) {
    if (deadline == null) {
      return 0;
    }
    long millis = Duration.between(Instant.now(), deadline).toMillis() + 1000;
    return TimeUnit.MILLISECONDS.toNanos(Math.max(millis, 0));
  }

  private void finishWork(UUID taskId, int status, long receivedNanos, boolean twice) {
    Held next;
    boolean stopped;
    synchronized (this) {
      stopped = cancelled.remove(taskId);
      if (!stopped) {
        uncommitted.put(taskId, new PendingResult(status, receivedNanos));
      }
      next = held.poll();
      working = next == null ? null : next.taskId();
    }
    if (!stopped) {
      sendResult(taskId, status);
      if (twice) {
        sendResult(taskId, status);
      }
      scheduleResultRetry(taskId);
    }
    if (next != null) {
      work(next.task(), next.receivedNanos());
    }
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

  private void onCommit(DeviceBound.Commit commit, long now) {
    UUID taskId = commit.taskId();
    // v2: the commit says what comes next; without a next task nothing waits and the core pushes
    // when work arrives, so the device does not poll. A v1 commit keeps the v1 behaviour.
    boolean v2 = commit.version() == ProtocolVersion.V2;
    DeviceBound.Response nextTask = v2 ? commit.next() : null;
    PendingResult pending;
    UUID triggered;
    synchronized (this) {
      pending = uncommitted.remove(taskId);
      committed.put(taskId, Boolean.TRUE);
      triggered = working == null && nextTask == null ? waiting.poll() : null;
    }
    if (pending != null) {
      stats.commits.increment();
      stats.recordTaskToCommit(now - pending.receivedNanos());
      listener.taskCommitted(id, taskId, now);
    }
    if (nextTask != null) {
      reportNext(nextTask, now);
      onResponse(nextTask, now);
      return;
    }
    if (pending == null) {
      return;
    }
    if (triggered != null) {
      request(triggered);
    } else if (!v2) {
      poll();
    }
  }

  /** Reports a v2 commit's next task to the listener as the {@code rsp} it stands for. */
  private void reportNext(DeviceBound.Response next, long now) {
    Map<String, String> properties = new HashMap<>();
    properties.put(UserProperties.ATTEMPT, Integer.toString(next.attempt()));
    if (next.methodCode() != null) {
      properties.put(UserProperties.METHOD_CODE, next.methodCode());
    }
    if (next.deadline() != null) {
      properties.put(UserProperties.DEADLINE, next.deadline().toString());
    }
    if (next.leaseExpires() != null) {
      properties.put(UserProperties.LEASE_EXPIRES, next.leaseExpires().toString());
    }
    listener.messageReceived(id, MessageKind.RESPONSE, next.taskId(), properties, now);
  }

  /** Counts the answer to one of this device's events, matched by correlation, else by id. */
  private void onEventAnswer(DeviceBound.EventAnswer answer, long now) {
    if (answer.typeCode() != EVENT_TYPE) {
      return;
    }
    long id = answer.deviceEventId();
    if (answer.correlation() != null) {
      try {
        id = Long.parseLong(answer.correlation());
      } catch (NumberFormatException e) {
        return; // not a correlation this device sent
      }
    }
    Long sent;
    synchronized (this) {
      sent = eventsSent.remove(id);
    }
    if (sent == null) {
      return; // a second answer, or one forgotten meanwhile
    }
    // Recorded before counted, so a snapshot's answers are all in the histogram taken after it.
    stats.recordEventRoundTrip(now - sent);
    (answer.success() ? stats.eventsStored : stats.eventsRefused).increment();
  }

  private void onError(DeviceBound.Error error) {
    stats.errors.increment();
    UUID taskId = error.taskId();
    String code = error.errorCode();
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
    send(codec.request(taskId));
  }

  private void sendResult(UUID taskId, int statusCode) {
    stats.results.increment();
    listener.resultSent(id, taskId, statusCode, System.nanoTime());
    if (!StatusCodes.isSuccess(statusCode)) {
      stats.failedResults.increment();
    }
    send(
        codec.result(
            taskId,
            statusCode,
            null,
            StatusCodes.isSuccess(statusCode) ? OK_RESULT : FAILED_RESULT));
  }

  private void send(WireMessage message) {
    client.publish(PublishMapping.toPublish(message));
  }

  private long workNanos() {
    long min = settings.minWork().toNanos();
    long max = settings.maxWork().toNanos();
    return min == max ? min : ThreadLocalRandom.current().nextLong(min, max + 1);
  }
}
