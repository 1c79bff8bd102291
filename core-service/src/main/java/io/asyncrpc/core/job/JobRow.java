package io.asyncrpc.core.job;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A job as its rollout decision reads it, locked.
 *
 * @param id the job
 * @param tenant whose job it is; its executions and events are the tenant's
 * @param clientId the client that created it; its executions carry it
 * @param status SCHEDULED or IN_PROGRESS
 * @param methodCode what each execution asks its device to do
 * @param payload the payload template (JSON)
 * @param priority each execution's priority
 * @param executionTtl each execution's time to live in seconds, from its creation
 * @param executionRetries how often a timed-out execution is retried
 * @param targets the targets as the client gave them (JSON)
 * @param rollout the rollout (JSON)
 * @param abortCriteria the abort criteria (JSON array)
 * @param rolloutClock where the rollout's allowance stands, null before the first decision
 * @param reportedCounts what the last job event told (JSON), or null
 * @param targetCount the number of targets
 * @param executionsCreated targets that have an execution
 */
record JobRow(
    UUID id,
    String tenant,
    String clientId,
    String status,
    String methodCode,
    String payload,
    int priority,
    int executionTtl,
    int executionRetries,
    String targets,
    String rollout,
    String abortCriteria,
    @Nullable Instant rolloutClock,
    @Nullable String reportedCounts,
    int targetCount,
    int executionsCreated) {}
