package io.asyncrpc.swarm;

import io.asyncrpc.protocol.MessageKind;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Callbacks from simulated devices, on the MQTT client's threads: keep them short. The benchmark
 * uses them to time a task from its creation to the device.
 */
public interface SwarmListener {

  /** A device got the trigger ({@code tsk}) of {@code taskId}, at {@code nanoTime}. */
  default void taskTriggered(String deviceId, UUID taskId, long nanoTime) {}

  /** A device holds the payload of {@code taskId} (a {@code rsp} arrived), at {@code nanoTime}. */
  default void taskReceived(String deviceId, UUID taskId, long nanoTime) {}

  /**
   * The core committed the result of {@code taskId} (a {@code cmt} arrived), at {@code nanoTime}.
   */
  default void taskCommitted(String deviceId, UUID taskId, long nanoTime) {}

  /**
   * A device received a message of {@code kind} about {@code taskId} (null when it named none),
   * with its user properties (such as {@code attempt} or {@code result_id}; the first value of a
   * repeated name). The next task a v2 commit carries is reported after the commit as a {@code
   * RESPONSE} of its own, with its {@code attempt}, {@code method_code}, {@code deadline} and
   * {@code lease_expires}.
   */
  default void messageReceived(
      String deviceId,
      MessageKind kind,
      @Nullable UUID taskId,
      Map<String, String> userProperties,
      long nanoTime) {}

  /** A device sent a result for {@code taskId} (retries and fault-injected results included). */
  default void resultSent(String deviceId, UUID taskId, int statusCode, long nanoTime) {}

  /** Does nothing. */
  SwarmListener NONE = new SwarmListener() {};
}
