package io.asyncrpc.api.event;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One event of the tenant event log, rendered: what the stream, the event listing and the webhooks
 * send.
 *
 * @param position where it lies in the log; its {@link EventPosition#encode() text} is the event id
 * @param tenant whose event it is
 * @param type what happened
 * @param deviceId the device it concerns; null for job events
 * @param taskId the task it concerns, for task events
 * @param timestamp when it happened
 * @param data the event's document: for {@code task.finished} the task as {@code GET
 *     /api/v1/tasks/{id}} shows it
 */
public record TenantEvent(
    EventPosition position,
    String tenant,
    EventType type,
    @Nullable String deviceId,
    @Nullable UUID taskId,
    Instant timestamp,
    Object data) {

  /** What a client receives: {@code {id, type, timestamp, data}}. */
  public EventView view() {
    return new EventView(position.encode(), type.wireName(), timestamp, data);
  }
}
