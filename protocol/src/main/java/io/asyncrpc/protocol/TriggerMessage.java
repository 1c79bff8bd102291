package io.asyncrpc.protocol;

import java.time.Instant;
import java.util.UUID;

/**
 * JSON payload of {@code srv/<SN>/tsk}: a task is waiting. Devices that only read the correlation
 * data and {@code method_code} may ignore it.
 *
 * @param taskId the task, also the correlation data
 * @param methodCode what the device is asked to do
 * @param priority higher runs first
 * @param deadline after this instant the task is no longer handed out
 */
public record TriggerMessage(UUID taskId, String methodCode, int priority, Instant deadline) {}
