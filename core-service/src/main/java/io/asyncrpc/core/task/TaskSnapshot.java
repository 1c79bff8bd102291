package io.asyncrpc.core.task;

import io.asyncrpc.protocol.ProtocolVersion;
import io.asyncrpc.task.model.TaskStatus;
import java.time.Instant;
import java.util.UUID;

/**
 * What the lifecycle needs to know of a task to explain a refusal or repeat an answer.
 *
 * @param id the task
 * @param deviceId its device
 * @param status its status
 * @param attempts how many times it was handed out
 * @param deadline its deadline
 * @param methodCode its method code
 * @param priority its priority
 * @param resultId the stored result, or null
 * @param protocol the protocol its device speaks
 */
record TaskSnapshot(
    UUID id,
    String deviceId,
    TaskStatus status,
    int attempts,
    Instant deadline,
    String methodCode,
    int priority,
    UUID resultId,
    ProtocolVersion protocol) {}
