package io.asyncrpc.agent.internal;

import io.asyncrpc.agent.EventOutcome;
import io.asyncrpc.agent.EventOutcome.Status;
import io.asyncrpc.protocol.DeviceBound;
import io.asyncrpc.protocol.DeviceCodec;
import io.asyncrpc.protocol.DeviceEvent;
import io.asyncrpc.protocol.ProtocolJson;
import io.asyncrpc.protocol.ProtocolLimits;
import io.asyncrpc.protocol.WireMessage;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.SequencedMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The device's events on their way to the core: sends each on {@code evt} with a correlation of its
 * own (a UUID's text), sends it again every retry interval until its {@code eva} arrives or the
 * attempts are used up, and holds events while the agent is offline (bounded) to send them on
 * connect.
 *
 * <p>State lives on the agent's event thread, as {@link AgentEngine}'s does; {@link #publish} may
 * be called from any thread. Futures complete on {@code completions} (the agent's virtual threads),
 * so a caller's dependent action cannot stall the event thread.
 */
final class EventPublisher {

  private static final System.Logger LOG = System.getLogger(EventPublisher.class.getName());
  private static final ProtocolJson JSON = new ProtocolJson();

  /** An event sent and not answered yet, or not sent yet. */
  private static final class Pending {
    final DeviceEvent event;
    final String correlation;
    final @Nullable String payload;
    final CompletableFuture<EventOutcome> future;
    int sends;
    @Nullable ScheduledFuture<?> retry;

    Pending(
        DeviceEvent event,
        String correlation,
        @Nullable String payload,
        CompletableFuture<EventOutcome> future) {
      this.event = event;
      this.correlation = correlation;
      this.payload = payload;
      this.future = future;
    }

    String name() {
      return "event " + event.typeCode() + "/" + event.deviceEventId() + " (" + correlation + ")";
    }
  }

  private final DeviceCodec codec;
  private final Outbound outbound;
  private final ScheduledExecutorService events;
  private final Executor completions;
  private final Duration retryInterval;
  private final int attempts;
  private final int capacity;
  private final SequencedMap<String, Pending> pending = new LinkedHashMap<>();
  private boolean closed;

  EventPublisher(
      DeviceCodec codec,
      Outbound outbound,
      ScheduledExecutorService events,
      Executor completions,
      Duration retryInterval,
      int attempts,
      int capacity) {
    this.codec = codec;
    this.outbound = outbound;
    this.events = events;
    this.completions = completions;
    this.retryInterval = retryInterval;
    this.attempts = attempts;
    this.capacity = capacity;
  }

  /**
   * Publishes {@code event}; any thread.
   *
   * @throws IllegalArgumentException when the event or its payload cannot be sent
   */
  CompletableFuture<EventOutcome> publish(DeviceEvent event, @Nullable String payloadJson) {
    validate(event, payloadJson);
    CompletableFuture<EventOutcome> future = new CompletableFuture<>();
    String correlation = UUID.randomUUID().toString();
    // Cancelled or timed out by the caller: forget it, so it neither resends nor takes a place.
    future.whenComplete(
        (outcome, failure) -> {
          if (failure != null) {
            onEventThread(() -> forget(correlation));
          }
        });
    Pending waiting = new Pending(event, correlation, payloadJson, future);
    if (!onEventThread(() -> enqueue(waiting))) {
      future.completeExceptionally(new IllegalStateException("the agent is closed"));
    }
    return future;
  }

  /** Connected and subscribed: sends what waited while offline; call on the event thread. */
  void onConnected() {
    for (Pending event : List.copyOf(pending.values())) {
      // One with a retry timer running was sent on this or the last connection; the timer sends
      // it again.
      if (event.retry == null) {
        send(event);
      }
    }
  }

  /**
   * The core answered an event on {@code eva}: by its correlation data, or by type and id when it
   * carries none. Call on the event thread.
   *
   * @param message the answer as it arrived, for the error code of a refusal
   */
  void onAnswer(DeviceBound.EventAnswer answer, WireMessage message) {
    Pending event =
        answer.correlation() != null
            ? pending.get(answer.correlation())
            : pending.values().stream()
                .filter(
                    p ->
                        p.event.typeCode() == answer.typeCode()
                            && p.event.deviceEventId() == answer.deviceEventId())
                .findFirst()
                .orElse(null);
    if (event == null) {
      // Typically the second answer, to a resend of an event already answered.
      LOG.log(
          Level.DEBUG,
          "answer to event "
              + answer.typeCode()
              + "/"
              + answer.deviceEventId()
              + " that is not waiting ("
              + answer.correlation()
              + ")");
      return;
    }
    forget(event.correlation);
    if (answer.success()) {
      LOG.log(Level.DEBUG, event.name() + " stored");
      complete(event, Status.STORED, null);
    } else {
      String code = errorCode(message);
      LOG.log(Level.WARNING, "core refused " + event.name() + ": " + code);
      complete(event, Status.REFUSED, code);
    }
  }

  /** Fails every waiting event; call on the event thread. */
  void close() {
    closed = true;
    List<Pending> left = List.copyOf(pending.values());
    pending.clear();
    for (Pending event : left) {
      cancelRetry(event);
      fail(
          event,
          new IllegalStateException("the agent closed before " + event.name() + " was answered"));
    }
  }

  /** How many events wait; for tests. */
  int waiting() {
    return pending.size();
  }

  private void enqueue(Pending event) {
    if (closed) {
      fail(event, new IllegalStateException("the agent is closed"));
      return;
    }
    if (event.future.isDone()) {
      return;
    }
    if (pending.size() >= capacity) {
      fail(
          event,
          new RejectedExecutionException(
              capacity + " events are waiting already (unsent or unanswered)"));
      return;
    }
    pending.put(event.correlation, event);
    send(event);
  }

  /** Sends {@code event} when connected; otherwise it waits for {@link #onConnected}. */
  private void send(Pending event) {
    event.retry = null;
    if (event.future.isDone()) {
      forget(event.correlation); // cancelled or timed out by the caller
      return;
    }
    if (!outbound.isConnected()) {
      return;
    }
    outbound.send(codec.event(event.event, event.correlation, event.payload));
    event.sends++;
    if (!event.event.isAnswered()) {
      forget(event.correlation);
      complete(event, Status.NO_ANSWER_EXPECTED, null);
      return;
    }
    event.retry =
        events.schedule(() -> retry(event), retryInterval.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void retry(Pending event) {
    event.retry = null;
    if (closed || pending.get(event.correlation) != event) {
      return;
    }
    if (event.sends >= attempts) {
      forget(event.correlation);
      LOG.log(
          Level.WARNING,
          "no answer to " + event.name() + " after " + event.sends + " sends, giving up");
      complete(event, Status.UNANSWERED, null);
      return;
    }
    LOG.log(Level.INFO, "no answer to " + event.name() + " yet, sending it again");
    send(event);
  }

  private void forget(String correlation) {
    Pending event = pending.remove(correlation);
    if (event != null) {
      cancelRetry(event);
    }
  }

  private static void cancelRetry(Pending event) {
    if (event.retry != null) {
      event.retry.cancel(false);
      event.retry = null;
    }
  }

  private void complete(Pending event, Status status, @Nullable String errorCode) {
    EventOutcome outcome =
        new EventOutcome(event.event, event.correlation, status, errorCode, event.sends);
    onCompletionThread(() -> event.future.complete(outcome));
  }

  private void fail(Pending event, RuntimeException failure) {
    onCompletionThread(() -> event.future.completeExceptionally(failure));
  }

  private void onCompletionThread(Runnable completion) {
    try {
      completions.execute(completion);
    } catch (RejectedExecutionException closing) {
      completion.run();
    }
  }

  private boolean onEventThread(Runnable action) {
    try {
      events.execute(action);
      return true;
    } catch (RejectedExecutionException closing) {
      return false;
    }
  }

  // DeviceBound.EventAnswer says only whether it succeeded; the code is in the body.
  private static String errorCode(WireMessage message) {
    JsonNode body = JSON.readOrNull(message.payload());
    return body != null && body.path("code").isString() ? body.path("code").asString() : "unknown";
  }

  private static void validate(DeviceEvent event, @Nullable String payloadJson) {
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(event.deviceTimestamp(), "event.deviceTimestamp");
    if (event.typeCode() < 0 || event.deviceEventId() < 0) {
      throw new IllegalArgumentException(
          "an event's type and id must not be negative: "
              + event.typeCode()
              + "/"
              + event.deviceEventId());
    }
    if (event.deviceTimestamp().isBefore(Instant.EPOCH)) {
      throw new IllegalArgumentException(
          "an event's device timestamp must not be before 1970: " + event.deviceTimestamp());
    }
    if (payloadJson == null) {
      return;
    }
    int bytes = payloadJson.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > ProtocolLimits.MAX_EVENT_PAYLOAD_BYTES) {
      throw new IllegalArgumentException(
          "an event's payload must not exceed "
              + ProtocolLimits.MAX_EVENT_PAYLOAD_BYTES
              + " bytes but has "
              + bytes);
    }
    if (!Json.isDocument(payloadJson)) {
      throw new IllegalArgumentException(
          "an event's payload must be one JSON document (or null for none)");
    }
  }
}
