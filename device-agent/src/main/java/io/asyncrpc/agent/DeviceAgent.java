package io.asyncrpc.agent;

import io.asyncrpc.protocol.DeviceEvent;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * A device's connection to the core: it receives tasks over MQTT 5, runs a {@link TaskHandler} for
 * each and sends the results back until the core commits them; it also publishes the device's
 * events ({@link #publishEvent}).
 *
 * <p>Create one with {@link #builder()}:
 *
 * <pre>{@code
 * try (DeviceAgent agent = DeviceAgent.builder()
 *     .deviceId("SN-0001")
 *     .broker("broker.local", 1883)
 *     .credentials("device", "secret")
 *     .handler("relay.switch", task -> TaskResult.ok(task.payload()))
 *     .build()) {
 *   agent.start().join();
 *   ...
 * }
 * }</pre>
 */
public interface DeviceAgent extends AutoCloseable {

  /** A builder for a new agent. */
  static DeviceAgentBuilder builder() {
    return new DeviceAgentBuilder();
  }

  /** The device id: MQTT client id and the middle segment of the device's topics. */
  String deviceId();

  /**
   * Connects, subscribes and polls for the first task.
   *
   * <p>The agent keeps reconnecting with backoff until it is closed, also when the first attempt
   * fails, so the returned future simply completes the first time the agent is connected and
   * subscribed (add a timeout with {@link CompletableFuture#orTimeout} to fail fast). Calling it
   * again returns the same future.
   *
   * @return a future completed once connected and subscribed
   */
  CompletableFuture<Void> start();

  /** Whether the agent is connected to the broker right now. */
  boolean isConnected();

  /**
   * Publishes a device event on {@code dev/<SN>/evt} (QoS 1) with a correlation value of its own,
   * and completes once the core has answered it on {@code srv/<SN>/eva}.
   *
   * <p>The answer is matched by its correlation data, or by type and id when it carries none. An
   * event without an answer is sent again every {@link DeviceAgentBuilder#resultRetryInterval} (the
   * core stores it once, so resending is safe), up to {@link DeviceAgentBuilder#eventAttempts}
   * sends in all; then the future completes with {@link EventOutcome.Status#UNANSWERED}. An event
   * of type 0 or id 0 is not answered by the core: its future completes with {@link
   * EventOutcome.Status#NO_ANSWER_EXPECTED} as soon as it is sent.
   *
   * <p>While the agent is not connected (also before {@link #start()}), events wait in a bounded
   * queue ({@link DeviceAgentBuilder#eventQueueCapacity}, counting events sent and not yet answered
   * too) and are sent, in order, once it is connected; an event sent when the connection dropped is
   * sent again then. When the queue is full the future fails at once with a {@link
   * java.util.concurrent.RejectedExecutionException}; when the agent is closed it fails with an
   * {@link IllegalStateException}. Cancelling the future, or its timing out ({@link
   * CompletableFuture#orTimeout}), stops further sends.
   *
   * <p>The future completes on one of the agent's virtual threads, so its dependent actions may
   * block.
   *
   * @param event the event: {@code event_type_code}, {@code dev_event_id} (both non-negative) and
   *     {@code dev_timestamp} (sent as epoch seconds)
   * @param payloadJson the event's JSON document, by the seed's convention numbered tags ({@code
   *     {"101": id, "102": epochSeconds, "200": type, "300": [...]}}), at most 16 KiB of UTF-8; or
   *     {@code null} for none
   * @return the outcome: stored, refused with its error code, no answer expected, or unanswered
   * @throws IllegalArgumentException when the type or id is negative, the timestamp is before 1970,
   *     or the payload is not one JSON document or is larger than 16 KiB
   */
  CompletableFuture<EventOutcome> publishEvent(DeviceEvent event, @Nullable String payloadJson);

  /**
   * Disconnects and stops: no reconnect, no more polls; a running handler is interrupted. Results
   * not yet committed stay in the journal (if one is configured) and are sent after a restart.
   */
  @Override
  void close();
}
