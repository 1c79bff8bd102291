package io.asyncrpc.core.task;

import java.time.Instant;
import java.util.UUID;

/**
 * A cancelled task whose v2 device held it and has not answered the cancel: the device is to be
 * told ({@code srv/<SN>/cnl}).
 *
 * @param taskId the task, CANCELLED
 * @param deviceId the device that held it
 * @param deadline its deadline; the cancel expires then
 */
public record CancelledTask(UUID taskId, String deviceId, Instant deadline) {}
