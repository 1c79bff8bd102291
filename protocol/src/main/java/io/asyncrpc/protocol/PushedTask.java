package io.asyncrpc.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * v2: a task handed to its device inside another message (the {@code next} of a {@code cmt}). It is
 * locked for the device with a lease when it is sent, exactly as a {@code rsp} would be.
 *
 * @param taskId the task
 * @param methodCode what the device is asked to do
 * @param attempt how many times the task has been handed out, including this one
 * @param deadline after this instant the task is no longer handed out
 * @param leaseExpires when the lease ends: a result after it may find the task handed out again
 * @param extId the caller's external id, or absent
 * @param payload the task's JSON payload, as JSON (not a string)
 */
public record PushedTask(
    UUID taskId,
    String methodCode,
    int attempt,
    Instant deadline,
    Instant leaseExpires,
    @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String extId,
    @JsonRawValue String payload) {}
