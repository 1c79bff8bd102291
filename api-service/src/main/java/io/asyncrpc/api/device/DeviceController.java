package io.asyncrpc.api.device;

import io.asyncrpc.api.web.Cursor;
import io.asyncrpc.api.web.InvalidParameterException;
import io.asyncrpc.api.web.PageView;
import io.asyncrpc.api.web.Paging;
import io.asyncrpc.protocol.DeviceId;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.WebRequest;
import tools.jackson.databind.JsonNode;

/** REST resource of the device registry. */
@RestController
@RequestMapping(path = "/api/v1/devices", produces = "application/json")
@Tag(name = "Devices", description = "The device registry and device presence")
class DeviceController {

  private static final String PROBLEM = "application/problem+json";

  private final DeviceRegistry registry;
  private final DeviceEventLog events;

  DeviceController(DeviceRegistry registry, DeviceEventLog events) {
    this.registry = registry;
    this.events = events;
  }

  @PostMapping(consumes = "application/json")
  @Operation(
      summary = "Register a device",
      description = "The id is the device's certificate CN and MQTT client id.")
  @ApiResponse(responseCode = "201", description = "Registered; Location names the device")
  @ApiResponse(
      responseCode = "400",
      description = "Malformed id or body",
      content = @Content(mediaType = PROBLEM, examples = @ExampleObject(BAD_ID)))
  @ApiResponse(
      responseCode = "409",
      description = "A device with this id exists",
      content = @Content(mediaType = PROBLEM, examples = @ExampleObject(EXISTS)))
  ResponseEntity<DeviceView> register(@Valid @RequestBody RegisterDeviceRequest request) {
    DeviceView view =
        registry.register(
            request.id(),
            request.displayName(),
            request.tags() == null ? Map.of() : request.tags());
    return ResponseEntity.created(URI.create("/api/v1/devices/" + view.id())).body(view);
  }

  @GetMapping
  @Operation(summary = "List devices, newest first, with cursor paging; by tag")
  @Parameter(
      name = "tag",
      in = ParameterIn.QUERY,
      description = "only devices with this tag, as key:value; repeat for all of several",
      array = @ArraySchema(schema = @Schema(type = "string", example = "ring:canary")))
  PageView<DeviceView> list(
      // Read as sent, not bound as a List: that would split one tag=loc:Berlin, DE at its comma.
      @Parameter(hidden = true) WebRequest request,
      @Parameter(description = "1 to 200, default 50") @RequestParam(required = false)
          @Nullable Integer limit,
      @Parameter(description = "next_cursor of the previous page") @RequestParam(required = false)
          @Nullable String cursor) {
    Map<String, String> selected = new TreeMap<>();
    String[] tags = request.getParameterValues("tag");
    if (tags != null) {
      for (String tag : tags) {
        Map.Entry<String, String> selector = DeviceTags.selector(tag);
        if (selected.put(selector.getKey(), selector.getValue()) != null) {
          throw new InvalidParameterException(
              "tag", "names the key '" + selector.getKey() + "' twice");
        }
      }
    }
    return registry.page(
        selected, cursor == null ? null : Cursor.decode(cursor), Paging.limit(limit));
  }

  @PatchMapping(
      path = "/{id}",
      consumes = {"application/merge-patch+json", "application/json"})
  @Operation(
      summary = "Change a device's display name and tags",
      description =
          """
          A JSON merge patch (RFC 7396): {"display_name": "...", "tags": {"ring": "canary", \
          "old": null}} sets ring, removes old, keeps every other tag; display_name null clears \
          it.""")
  @ApiResponse(responseCode = "200", description = "The device as changed")
  @ApiResponse(
      responseCode = "404",
      description = "Not registered",
      content = @Content(mediaType = PROBLEM, examples = @ExampleObject(NOT_FOUND)))
  DeviceView update(@PathVariable String id, @RequestBody JsonNode patch) {
    if (!DeviceId.isValid(id)) {
      throw new DeviceNotFoundException(id.length() > 70 ? id.substring(0, 70) + "..." : id);
    }
    return registry
        .update(id, DevicePatch.of(patch))
        .orElseThrow(() -> new DeviceNotFoundException(id));
  }

  @GetMapping("/{id}")
  @Operation(summary = "Get a device with its presence (online, connected_at, last_seen_at)")
  @ApiResponse(responseCode = "200", description = "The device")
  @ApiResponse(
      responseCode = "404",
      description = "Not registered",
      content = @Content(mediaType = PROBLEM, examples = @ExampleObject(NOT_FOUND)))
  DeviceView get(@PathVariable String id) {
    if (!DeviceId.isValid(id)) {
      throw new DeviceNotFoundException(id.length() > 70 ? id.substring(0, 70) + "..." : id);
    }
    return registry.find(id).orElseThrow(() -> new DeviceNotFoundException(id));
  }

  @GetMapping("/{id}/events")
  @Operation(
      summary = "The events a device published, newest first by device time, with cursor paging",
      description =
          "Events arrive on dev/<id>/evt and are stored once per (dev_event_id, dev_timestamp).")
  @ApiResponse(responseCode = "200", description = "A page of events")
  @ApiResponse(
      responseCode = "404",
      description = "Not registered",
      content = @Content(mediaType = PROBLEM, examples = @ExampleObject(NOT_FOUND)))
  PageView<DeviceEventView> events(
      @PathVariable String id,
      @Parameter(description = "only these event_type_code values (repeat the parameter)")
          @RequestParam(name = "type", required = false)
          @Nullable List<Long> types,
      @Parameter(description = "not these event_type_code values (repeat the parameter)")
          @RequestParam(name = "exclude_type", required = false)
          @Nullable List<Long> excluded,
      @Parameter(description = "device time from (inclusive), ISO-8601")
          @RequestParam(required = false)
          @Nullable Instant from,
      @Parameter(description = "device time to (exclusive), ISO-8601")
          @RequestParam(required = false)
          @Nullable Instant to,
      @Parameter(description = "1 to 200, default 50") @RequestParam(required = false)
          @Nullable Integer limit,
      @Parameter(description = "next_cursor of the previous page") @RequestParam(required = false)
          @Nullable String cursor) {
    DeviceView device = get(id);
    return events.page(
        device.id(),
        types == null ? List.of() : types,
        excluded == null ? List.of() : excluded,
        from,
        to,
        cursor == null ? null : Cursor.decode(cursor),
        Paging.limit(limit));
  }

  @GetMapping("/{id}/state")
  @Operation(
      summary = "The latest event of each type a device published (its gauges)",
      description = "One event per event_type_code: the newest by device time.")
  @ApiResponse(responseCode = "200", description = "The latest events, by type")
  @ApiResponse(
      responseCode = "404",
      description = "Not registered",
      content = @Content(mediaType = PROBLEM, examples = @ExampleObject(NOT_FOUND)))
  DeviceStateView state(@PathVariable String id) {
    DeviceView device = get(id);
    return new DeviceStateView(device.id(), events.latestOfEachType(device.id()));
  }

  private static final String BAD_ID =
      """
      {"type":"urn:iot-async-rpc:problem:validation-failed","title":"Validation failed",\
      "status":400,"detail":"invalid request: 'id' must match ^[A-Za-z0-9_-]{1,64}$",\
      "errors":[{"field":"id","message":"must match ^[A-Za-z0-9_-]{1,64}$"}]}""";
  private static final String EXISTS =
      """
      {"type":"urn:iot-async-rpc:problem:device-exists","title":"Device exists","status":409,\
      "detail":"device 'SN-0001' is already registered"}""";
  private static final String NOT_FOUND =
      """
      {"type":"urn:iot-async-rpc:problem:device-not-found","title":"Device not found",\
      "status":404,"detail":"device 'SN-0001' is not registered"}""";
}
