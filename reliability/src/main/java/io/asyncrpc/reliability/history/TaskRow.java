package io.asyncrpc.reliability.history;

import io.asyncrpc.task.model.TaskStatus;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A task as the database holds it at the end of a run.
 *
 * @param id the task id
 * @param deviceId the device the task is for
 * @param status its status
 * @param attempts how many times it was handed out
 * @param createdAt when it was created
 * @param deadlineAt after this instant it is never handed out
 * @param leaseExpiresAt when its lease passes, while LOCKED; null otherwise
 * @param resultId the stored result's id, once finished by a result; null otherwise
 */
public record TaskRow(
    UUID id,
    String deviceId,
    TaskStatus status,
    int attempts,
    Instant createdAt,
    Instant deadlineAt,
    @Nullable Instant leaseExpiresAt,
    @Nullable UUID resultId) {}
