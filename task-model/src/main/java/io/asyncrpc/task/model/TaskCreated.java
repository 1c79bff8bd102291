package io.asyncrpc.task.model;

import java.time.Instant;
import java.util.UUID;

/**
 * Northbound event: a task was committed. api-service publishes it (JSON) to the exchange {@link
 * NorthboundTopology#TASKS_EXCHANGE} with routing key {@link NorthboundTopology#TASK_CREATED_KEY};
 * core-service triggers the device.
 *
 * @param taskId the task
 * @param deviceId the device it is addressed to
 * @param methodCode what the device is asked to do
 * @param priority higher runs first
 * @param deadline after this instant the task is no longer handed out
 */
public record TaskCreated(
    UUID taskId, String deviceId, String methodCode, int priority, Instant deadline) {}
