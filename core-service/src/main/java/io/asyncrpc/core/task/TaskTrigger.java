package io.asyncrpc.core.task;

import io.asyncrpc.protocol.ProtocolVersion;
import java.time.Instant;
import java.util.UUID;

/**
 * A waiting task its device should hear about: what the core sends on {@code srv/<SN>/tsk} (v1), or
 * the reason to push the head of its FIFO (v2).
 *
 * @param taskId the task
 * @param deviceId its device
 * @param methodCode what the device is asked to do
 * @param priority higher runs first
 * @param deadline after this instant the task is no longer handed out
 * @param protocol the protocol its device speaks: v1 is triggered, v2 gets the task pushed
 */
public record TaskTrigger(
    UUID taskId,
    String deviceId,
    String methodCode,
    int priority,
    Instant deadline,
    ProtocolVersion protocol) {

  /** A waiting task of a v1 device. */
  public TaskTrigger(
      UUID taskId, String deviceId, String methodCode, int priority, Instant deadline) {
    this(taskId, deviceId, methodCode, priority, deadline, ProtocolVersion.V1);
  }
}
