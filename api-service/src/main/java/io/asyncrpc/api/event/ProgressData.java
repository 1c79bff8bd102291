package io.asyncrpc.api.event;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The data of a {@code task.progress} event: what the device reported on a task it holds.
 *
 * @param id the task
 * @param deviceId the device holding it
 * @param percent 0 to 100, or null
 * @param message the device's words, or null
 * @param details the device's JSON details, or null
 * @param at when the core stored the report
 */
public record ProgressData(
    UUID id,
    String deviceId,
    @Nullable Integer percent,
    @Nullable String message,
    @Nullable JsonNode details,
    Instant at) {}
