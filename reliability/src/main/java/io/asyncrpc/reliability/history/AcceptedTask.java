package io.asyncrpc.reliability.history;

import java.time.Instant;
import java.util.UUID;

/**
 * A line of the client's log: the API answered {@code 202} for this task.
 *
 * @param taskId the id the API returned
 * @param deviceId the device the task was created for
 * @param at when the client received the answer
 */
public record AcceptedTask(UUID taskId, String deviceId, Instant at) {

  @Override
  public String toString() {
    return "%s 202 task for %s".formatted(at, deviceId);
  }
}
