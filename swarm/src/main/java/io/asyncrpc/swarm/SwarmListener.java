package io.asyncrpc.swarm;

import java.util.UUID;

/**
 * Callbacks from simulated devices, on the MQTT client's threads: keep them short. The benchmark
 * uses them to time a task from its creation to the device.
 */
public interface SwarmListener {

  /** A device holds the payload of {@code taskId} (a {@code rsp} arrived), at {@code nanoTime}. */
  default void taskReceived(String deviceId, UUID taskId, long nanoTime) {}

  /**
   * The core committed the result of {@code taskId} (a {@code cmt} arrived), at {@code nanoTime}.
   */
  default void taskCommitted(String deviceId, UUID taskId, long nanoTime) {}

  /** Does nothing. */
  SwarmListener NONE = new SwarmListener() {};
}
