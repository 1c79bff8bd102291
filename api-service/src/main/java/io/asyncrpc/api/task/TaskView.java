package io.asyncrpc.api.task;

import io.asyncrpc.task.model.TaskStatus;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A task as the API shows it. Fields without a value are present as {@code null}.
 *
 * @param id the task id, also the MQTT correlation data
 * @param deviceId the device it is addressed to
 * @param methodCode what the device is asked to do
 * @param priority 0..9, higher runs first
 * @param status where it is in its lifecycle
 * @param attempts how many times it was handed to the device
 * @param payload the JSON the device receives
 * @param externalId the caller's own reference
 * @param onlineOnly delivered only while the device is online, UNREACHABLE otherwise
 * @param createdAt when it was accepted
 * @param deadlineAt after this it is no longer handed out
 * @param updatedAt its last change
 * @param acknowledgedAt when the device acknowledged the trigger
 * @param lockedAt when it was last handed to the device
 * @param leaseExpiresAt until when the device holds it
 * @param finishedAt when it reached a final status
 * @param progress the latest progress the device reported while it held the task, or null
 * @param statusCode the device's HTTP-like status code of the result
 * @param result the device's result document
 * @param resultId the id of the stored result (sent to the device in the commit)
 * @param cancelConfirmedAt v2: when the device that held the cancelled task answered the cancel, or
 *     null (not told: a waiting task or a v1 device; or no answer yet)
 * @param cancelOutcome v2: what the device did with the cancel: {@code stopped} (the handler was
 *     stopped), {@code finished} (it had finished) or {@code unknown} (it did not hold the task)
 */
@Schema(name = "Task")
public record TaskView(
    UUID id,
    @Schema(example = "SN-0001") String deviceId,
    @Schema(example = "relay.switch") String methodCode,
    @Schema(example = "5") int priority,
    TaskStatus status,
    int attempts,
    @Schema(type = "object", example = "{\"channel\":1,\"on\":true}") JsonNode payload,
    @Schema(example = "order-42") @Nullable String externalId,
    boolean onlineOnly,
    Instant createdAt,
    Instant deadlineAt,
    Instant updatedAt,
    @Nullable Instant acknowledgedAt,
    @Nullable Instant lockedAt,
    @Nullable Instant leaseExpiresAt,
    @Nullable Instant finishedAt,
    @Nullable TaskProgress progress,
    @Schema(example = "200") @Nullable Integer statusCode,
    @Schema(type = "object", example = "{\"switched\":true}") @Nullable JsonNode result,
    @Nullable UUID resultId,
    @Nullable Instant cancelConfirmedAt,
    @Schema(
            example = "stopped",
            allowableValues = {"stopped", "finished", "unknown"})
        @Nullable String cancelOutcome) {}
