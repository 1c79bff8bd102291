package io.asyncrpc.mcp.tool;

import io.asyncrpc.mcp.api.RestApi;
import io.asyncrpc.token.Scopes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** The read-only device tools: the registry, presence, tags, events and latest state. */
@Component
final class DeviceTools {

  /** GET /api/v1/devices accepts either scope; the tools follow it. */
  static final List<String> READ = List.of(Scopes.TASKS_READ, Scopes.DEVICES_ADMIN);

  private final RestApi api;
  private final ToolPolicy policy;

  DeviceTools(RestApi api, ToolPolicy policy) {
    this.api = api;
    this.policy = policy;
  }

  List<Tool> tools() {
    return List.of(
        new Tool(
            "list_devices",
            """
            Lists the registered devices of your tenant, newest first: id, display name, tags, \
            presence (online, connected_at, last_seen_at) and protocol version. Read-only: it \
            sends nothing to any device. Filter by tags (key:value, all must match); page with \
            next_cursor. Devices outside this server's allowlist are left out.""",
            """
            {"type": "object", "properties": {
              "tag": {"type": "array", "items": {"type": "string", "pattern": "^[^:]+:.+$"},
                      "description": "only devices with all of these tags, each key:value"},
              "limit": {"type": "integer", "minimum": 1, "maximum": 200,
                        "description": "page size, default 50"},
              "cursor": {"type": "string", "description": "next_cursor of the previous page"}
            }, "additionalProperties": false}""",
            READ,
            false,
            (caller, args) -> {
              Map<String, Object> query = new LinkedHashMap<>();
              query.put("tag", args.strings("tag"));
              query.put("limit", args.optionalInt("limit", 1, 200));
              query.put("cursor", args.optionalString("cursor"));
              return allowedOnly(api.get(caller.token(), "/api/v1/devices", query));
            }),
        new Tool(
            "get_device",
            """
            Gets one device: display name, tags, presence (online, last seen) and the protocol \
            version it declared. Read-only: it sends nothing to the device.""",
            DEVICE_ONLY,
            READ,
            false,
            (caller, args) ->
                api.get(
                    caller.token(),
                    "/api/v1/devices/" + policy.device(args.string("device_id")),
                    Map.of())),
        new Tool(
            "list_device_events",
            """
            Lists the events a device published (telemetry, alarms: dev/<id>/evt), newest \
            first by device time, with their event_type_code and payload. Read-only: it sends \
            nothing to the device.""",
            """
            {"type": "object", "properties": {
              "device_id": {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,64}$"},
              "type": {"type": "array", "items": {"type": "integer"},
                       "description": "only these event_type_code values"},
              "from": {"type": "string", "format": "date-time",
                       "description": "device time from (inclusive), ISO-8601"},
              "to": {"type": "string", "format": "date-time",
                     "description": "device time to (exclusive), ISO-8601"},
              "limit": {"type": "integer", "minimum": 1, "maximum": 200},
              "cursor": {"type": "string", "description": "next_cursor of the previous page"}
            }, "required": ["device_id"], "additionalProperties": false}""",
            READ,
            false,
            (caller, args) -> {
              String device = policy.device(args.string("device_id"));
              Map<String, Object> query = new LinkedHashMap<>();
              query.put("type", args.integers("type"));
              query.put("from", args.optionalString("from"));
              query.put("to", args.optionalString("to"));
              query.put("limit", args.optionalInt("limit", 1, 200));
              query.put("cursor", args.optionalString("cursor"));
              return api.get(caller.token(), "/api/v1/devices/" + device + "/events", query);
            }),
        new Tool(
            "get_device_state",
            """
            Gets a device's latest state: the newest event of each event_type_code it published \
            (its gauges). Read-only: it sends nothing to the device.""",
            DEVICE_ONLY,
            READ,
            false,
            (caller, args) ->
                api.get(
                    caller.token(),
                    "/api/v1/devices/" + policy.device(args.string("device_id")) + "/state",
                    Map.of())));
  }

  static final String DEVICE_ONLY =
      """
      {"type": "object", "properties": {
        "device_id": {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,64}$",
                      "description": "the device's id (its certificate CN)"}
      }, "required": ["device_id"], "additionalProperties": false}""";

  /** The page with the devices outside the allowlist left out. */
  private JsonNode allowedOnly(JsonNode page) {
    if (policy.allowlist().isOpen() || !page.path("items").isArray()) {
      return page;
    }
    ArrayNode items = JsonNodeFactory.instance.arrayNode();
    for (JsonNode device : page.get("items")) {
      if (policy.allowlist().allows(device.path("id").asString(""))) {
        items.add(device);
      }
    }
    ObjectNode filtered = JsonNodeFactory.instance.objectNode();
    filtered.set("items", items);
    filtered.set("next_cursor", page.get("next_cursor"));
    return filtered;
  }
}
