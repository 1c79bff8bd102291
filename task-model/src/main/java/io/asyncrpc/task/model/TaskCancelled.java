package io.asyncrpc.task.model;

import java.util.UUID;

/**
 * Northbound event: a task a v2 device held (LOCKED) was cancelled. api-service publishes it (JSON)
 * to {@link NorthboundTopology#TASKS_EXCHANGE} with routing key {@link
 * NorthboundTopology#TASK_CANCELLED_KEY}; core-service tells the device ({@code srv/<SN>/cnl}).
 *
 * @param taskId the task, already CANCELLED
 * @param deviceId the device that holds it
 */
public record TaskCancelled(UUID taskId, String deviceId) {}
