package io.asyncrpc.core.task;

import io.asyncrpc.protocol.PushedTask;
import java.time.Instant;
import java.util.UUID;

/**
 * A task handed to its device with a lease: what the core answers on {@code srv/<SN>/rsp}.
 *
 * @param id the task
 * @param deviceId its device
 * @param methodCode what the device is asked to do
 * @param payloadJson the task's payload, a JSON document
 * @param attempt how many times the task has been handed out, this time included
 * @param deadline after this instant the task is no longer handed out
 * @param externalId the caller's external id, or null
 * @param leaseExpires when the lease ends
 */
public record ClaimedTask(
    UUID id,
    String deviceId,
    String methodCode,
    String payloadJson,
    int attempt,
    Instant deadline,
    String externalId,
    Instant leaseExpires) {

  /** The task as protocol v2 carries it: in a push, or as the next task of a commit. */
  public PushedTask pushed() {
    return new PushedTask(id, methodCode, attempt, deadline, leaseExpires, externalId, payloadJson);
  }
}
