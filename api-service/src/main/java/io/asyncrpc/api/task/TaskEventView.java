package io.asyncrpc.api.task;

import io.asyncrpc.task.model.TaskStatus;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One transition in a task's history.
 *
 * @param fromStatus the status before; null for the creation
 * @param toStatus the status after
 * @param cause what caused it, e.g. {@code CREATED}, {@code CLAIMED}, {@code CANCELLED}
 * @param attempt the task's attempt counter at the time
 * @param actor who made the change: {@code api}, {@code core}, or the device id
 * @param detail extra information, if any
 * @param at when it happened
 */
@Schema(name = "TaskEvent")
public record TaskEventView(
    @Nullable TaskStatus fromStatus,
    TaskStatus toStatus,
    @Schema(example = "CREATED") String cause,
    int attempt,
    @Schema(example = "api") String actor,
    @Nullable String detail,
    Instant at) {}
