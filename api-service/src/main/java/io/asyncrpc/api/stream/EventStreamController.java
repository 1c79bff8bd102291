package io.asyncrpc.api.stream;

import io.asyncrpc.api.event.EventFilter;
import io.asyncrpc.api.event.EventPosition;
import io.asyncrpc.api.event.EventType;
import io.asyncrpc.api.event.TenantEvent;
import io.asyncrpc.api.event.TenantEventLog;
import io.asyncrpc.api.security.CurrentCaller;
import io.asyncrpc.api.web.InvalidParameterException;
import io.asyncrpc.api.web.Paging;
import io.asyncrpc.protocol.DeviceId;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * {@code GET /api/v1/events}: the tenant's events in order, as a server-sent event stream or as
 * JSON pages with a cursor. The same event has the same {@code id} in both.
 */
@RestController
@RequestMapping("/api/v1/events")
@Tag(name = "Events", description = "What happened to the tenant's tasks and devices, in order")
class EventStreamController {

  static final String LAST_EVENT_ID = "Last-Event-ID";

  private final StreamSubscriptions streams;
  private final TenantEventLog log;
  private final CurrentCaller caller;

  EventStreamController(StreamSubscriptions streams, TenantEventLog log, CurrentCaller caller) {
    this.streams = streams;
    this.log = log;
    this.caller = caller;
  }

  @GetMapping(produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  @Operation(
      summary = "Follow the tenant's events (server-sent events)",
      description =
          """
          Each event has an id, its type as event name and {id, type, timestamp, data} as JSON \
          data. Without Last-Event-ID (or cursor) the stream starts with what happens next; \
          with it the stream resumes right after that event, with no gap and no duplicate as \
          long as the event is within the retention. A comment line arrives every 15 s.""")
  @ApiResponse(responseCode = "200", description = "The stream", content = @Content)
  SseEmitter stream(
      @Parameter(in = ParameterIn.HEADER, description = "resume after this event id")
          @RequestHeader(name = LAST_EVENT_ID, required = false)
          @Nullable String lastEventId,
      @Parameter(description = "resume after this event id (for clients that cannot set headers)")
          @RequestParam(required = false)
          @Nullable String cursor,
      @Parameter(description = "only these types; repeat or separate with commas")
          @RequestParam(name = "type", required = false)
          @Nullable List<String> types,
      @Parameter(description = "only this device's events")
          @RequestParam(name = "device_id", required = false)
          @Nullable String deviceId,
      @Parameter(description = "only this task's events")
          @RequestParam(name = "task_id", required = false)
          @Nullable UUID taskId) {
    EventFilter filter = filter(types, deviceId, taskId);
    String resume = lastEventId != null && !lastEventId.isBlank() ? lastEventId : cursor;
    String parameter = lastEventId != null && !lastEventId.isBlank() ? LAST_EVENT_ID : "cursor";
    return streams.open(
        caller.get().tenant(),
        filter,
        resume == null ? null : EventPosition.decode(resume, parameter));
  }

  @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      summary = "Read the tenant's events, oldest first, from a cursor",
      description =
          """
          Without cursor from the oldest event kept. next_cursor is the id of the last event \
          returned (or the cursor given when there is none), to ask again with.""")
  EventPage page(
      @Parameter(description = "the next_cursor (or any event id) to continue after")
          @RequestParam(required = false)
          @Nullable String cursor,
      @Parameter(description = "only these types; repeat or separate with commas")
          @RequestParam(name = "type", required = false)
          @Nullable List<String> types,
      @Parameter(description = "only this device's events")
          @RequestParam(name = "device_id", required = false)
          @Nullable String deviceId,
      @Parameter(description = "only this task's events")
          @RequestParam(name = "task_id", required = false)
          @Nullable UUID taskId,
      @Parameter(description = "1 to 200, default 50") @RequestParam(required = false)
          @Nullable Integer limit) {
    EventPosition after =
        cursor == null ? EventPosition.ORIGIN : EventPosition.decode(cursor, "cursor");
    List<TenantEvent> events =
        log.after(
            caller.get().tenant(), after, filter(types, deviceId, taskId), Paging.limit(limit));
    String next = events.isEmpty() ? after.encode() : events.getLast().position().encode();
    return new EventPage(events.stream().map(TenantEvent::view).toList(), next);
  }

  private static EventFilter filter(
      @Nullable List<String> types, @Nullable String deviceId, @Nullable UUID taskId) {
    if (deviceId != null && !DeviceId.isValid(deviceId)) {
      throw new InvalidParameterException("device_id", "must match " + DeviceId.PATTERN);
    }
    Set<EventType> wanted = EnumSet.noneOf(EventType.class);
    if (types != null) {
      for (String type : types) {
        if (!type.isBlank()) {
          wanted.add(EventType.parse(type.strip(), "type"));
        }
      }
    }
    return new EventFilter(wanted, deviceId, taskId);
  }
}
