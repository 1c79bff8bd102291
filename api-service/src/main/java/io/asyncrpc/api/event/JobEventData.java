package io.asyncrpc.api.event;

import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The data of a {@code job.progress} or {@code job.finished} event: a fleet job's roll-up when the
 * event was written.
 *
 * @param jobId the job
 * @param status SCHEDULED, IN_PROGRESS, COMPLETED, ABORTED or CANCELLED
 * @param statusReason why it was aborted or cancelled, in words, or null
 * @param targetCount the devices it targets
 * @param executionsCreated targets that have an execution so far
 * @param counts the job's executions (retries too) per task status name
 */
public record JobEventData(
    UUID jobId,
    String status,
    @Nullable String statusReason,
    int targetCount,
    int executionsCreated,
    Map<String, Integer> counts) {}
