package io.asyncrpc.core.task;

import java.time.Instant;
import java.util.UUID;

/**
 * A waiting task its device should hear about: what the core sends on {@code srv/<SN>/tsk}.
 *
 * @param taskId the task
 * @param deviceId its device
 * @param methodCode what the device is asked to do
 * @param priority higher runs first
 * @param deadline after this instant the task is no longer handed out
 */
public record TaskTrigger(
    UUID taskId, String deviceId, String methodCode, int priority, Instant deadline) {}
