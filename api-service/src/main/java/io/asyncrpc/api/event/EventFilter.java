package io.asyncrpc.api.event;

import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Which events a reader wants: types (empty means all), one device, one task.
 *
 * @param types the wanted types; empty for every type
 * @param deviceId only this device's events, or null
 * @param taskId only this task's events, or null
 */
public record EventFilter(Set<EventType> types, @Nullable String deviceId, @Nullable UUID taskId) {

  /** Every event. */
  public static final EventFilter ALL = new EventFilter(Set.of(), null, null);

  public EventFilter {
    types = Set.copyOf(types);
  }

  public boolean matches(TenantEvent event) {
    return (types.isEmpty() || types.contains(event.type()))
        && (deviceId == null || deviceId.equals(event.deviceId()))
        && (taskId == null || taskId.equals(event.taskId()));
  }
}
