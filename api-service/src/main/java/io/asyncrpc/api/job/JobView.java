package io.asyncrpc.api.job;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A job with its roll-up.
 *
 * @param id the job id
 * @param status SCHEDULED, IN_PROGRESS, COMPLETED, CANCELLED or ABORTED
 * @param statusReason why it was aborted or cancelled
 * @param methodCode what each device is asked to do
 * @param payload the payload template of each execution
 * @param priority each execution's priority
 * @param ttl each execution's time to live in seconds
 * @param retries how often a timed-out execution is tried again
 * @param targets the targets as given
 * @param rollout the rollout with its defaults
 * @param abort the abort criteria
 * @param startAt when the rollout may begin
 * @param createdAt when the job was accepted
 * @param updatedAt its last change
 * @param startedAt when its first execution was created
 * @param finishedAt when it reached COMPLETED, CANCELLED or ABORTED
 * @param targetCount how many devices it targets (so far, for continuous targets)
 * @param executionsCreated how many executions (tasks) exist
 * @param notStarted targets that have no execution yet
 * @param counts executions per task status, every status present
 * @param cancelConfirmed executions whose device answered the cancel (v2: {@code dev/<SN>/cna})
 */
@Schema(name = "Job")
record JobView(
    UUID id,
    @Schema(allowableValues = {"SCHEDULED", "IN_PROGRESS", "COMPLETED", "CANCELLED", "ABORTED"})
        String status,
    @Nullable String statusReason,
    String methodCode,
    @Schema(type = "object") JsonNode payload,
    int priority,
    int ttl,
    int retries,
    @Schema(type = "object") JsonNode targets,
    @Schema(type = "object") JsonNode rollout,
    @Schema(type = "array") JsonNode abort,
    Instant startAt,
    Instant createdAt,
    Instant updatedAt,
    @Nullable Instant startedAt,
    @Nullable Instant finishedAt,
    int targetCount,
    int executionsCreated,
    int notStarted,
    @Schema(example = "{\"QUEUED\": 10, \"LOCKED\": 2, \"DONE\": 40, \"FAILED\": 1}")
        Map<String, Long> counts,
    int cancelConfirmed) {}
