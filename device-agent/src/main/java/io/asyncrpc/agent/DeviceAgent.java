package io.asyncrpc.agent;

import java.util.concurrent.CompletableFuture;

/**
 * A device's connection to the core: it receives tasks over MQTT 5, runs a {@link TaskHandler} for
 * each and sends the results back until the core commits them.
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
   * Disconnects and stops: no reconnect, no more polls; a running handler is interrupted. Results
   * not yet committed stay in the journal (if one is configured) and are sent after a restart.
   */
  @Override
  void close();
}
