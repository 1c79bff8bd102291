package io.asyncrpc.reliability.history;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A line of a device's log: a message about a task that the device received or sent.
 *
 * @param deviceId the device
 * @param kind what happened
 * @param taskId the task named by the message's correlation data
 * @param attempt the {@code attempt} property of a received {@code rsp}, 0 otherwise
 * @param resultId the {@code result_id} property of a received {@code cmt}, null otherwise
 * @param at when the device saw or sent it
 */
public record DeviceObservation(
    String deviceId, Kind kind, UUID taskId, int attempt, @Nullable UUID resultId, Instant at) {

  /** The messages the checker reads. */
  public enum Kind {
    /** The device received the task ({@code srv/<SN>/rsp}). */
    RECEIVED,
    /** The device sent a result ({@code dev/<SN>/res}). */
    RESULT_SENT,
    /** The device received the commit of its result ({@code srv/<SN>/cmt}). */
    COMMITTED
  }

  @Override
  public String toString() {
    return "%s device %s %s%s%s"
        .formatted(
            at,
            deviceId,
            kind,
            attempt > 0 ? " attempt " + attempt : "",
            resultId != null ? " result " + resultId : "");
  }
}
