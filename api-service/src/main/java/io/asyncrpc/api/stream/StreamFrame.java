package io.asyncrpc.api.stream;

import io.asyncrpc.api.event.EventPosition;
import io.asyncrpc.api.event.TenantEvent;
import tools.jackson.databind.json.JsonMapper;

/**
 * One event as every stream writes it, its JSON rendered once: an event the feed hands to a
 * thousand streams is serialized once, not a thousand times.
 *
 * @param position the event's place in the log (its SSE {@code id})
 * @param name the SSE event name, the event's type
 * @param json the event's {@link TenantEvent#view() view} as the API renders it
 */
record StreamFrame(EventPosition position, String name, String json) {

  static StreamFrame of(TenantEvent event, JsonMapper json) {
    return new StreamFrame(
        event.position(), event.type().wireName(), json.writeValueAsString(event.view()));
  }
}
