package io.asyncrpc.mcp.tool;

import io.asyncrpc.mcp.api.RestApi;
import io.asyncrpc.protocol.ProtocolLimits;
import io.asyncrpc.token.Scopes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/** The task tools: send one call to one device, read it, cancel it. */
@Component
final class TaskTools {

  /** The longest wait api-service grants ({@code Prefer: wait=N}, {@code ?wait=N}). */
  static final int MAX_WAIT_SECONDS = 60;

  private final RestApi api;
  private final ToolPolicy policy;

  TaskTools(RestApi api, ToolPolicy policy) {
    this.api = api;
    this.policy = policy;
  }

  List<Tool> tools() {
    return List.of(
        new Tool(
            "create_task",
            """
            Sends a command to a real device: the device runs method_code with the payload \
            (what that does is up to the device: it may switch a relay, move something, \
            reboot...). The task is queued in the device's FIFO and delivered when the device \
            is online; it ends DONE or FAILED with the device's result, or EXPIRED after ttl \
            seconds. With wait_seconds (1-60) the tool waits that long for the result and \
            returns the finished task; otherwise it returns at once with the task's id (follow \
            it with get_task). Method codes of the demo devices: resource \
            iot://protocol/method-codes.""",
            """
            {"type": "object", "properties": {
              "device_id": {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,64}$"},
              "method_code": {"type": "string", "pattern": "^[A-Za-z0-9_.:-]{1,64}$",
                              "description": "what the device is asked to do, e.g. sum"},
              "payload": {"description": "any JSON value for the device, default {}"},
              "ttl": {"type": "integer", "minimum": 1, "maximum": 604800,
                      "description": "seconds until the task expires, default 3600"},
              "priority": {"type": "integer", "minimum": 0, "maximum": 9,
                           "description": "higher runs first, default 0"},
              "online_only": {"type": "boolean",
                              "description": "true: only while the device is online, never queued for it"},
              "external_id": {"type": "string", "maxLength": 128,
                              "description": "your own reference"},
              "idempotency_key": {"type": "string", "maxLength": 128,
                                  "description": "retrying with the same key returns the same task"},
              "wait_seconds": {"type": "integer", "minimum": 0, "maximum": 60,
                               "description": "wait up to this long for the result; 0 or absent: do not wait"}
            }, "required": ["device_id", "method_code"], "additionalProperties": false}""",
            List.of(Scopes.TASKS_WRITE),
            true,
            this::create),
        new Tool(
            "get_task",
            """
            Gets a task: its status (QUEUED, PENDING, LOCKED, DONE, FAILED, EXPIRED, TIMED_OUT, \
            CANCELLED, UNREACHABLE), attempts, progress and, once finished, the device's result. \
            With wait_seconds (1-60) it answers as soon as the task finishes or when the time \
            is up. Read-only: it sends nothing to the device.""",
            """
            {"type": "object", "properties": {
              "task_id": {"type": "string", "format": "uuid"},
              "wait_seconds": {"type": "integer", "minimum": 0, "maximum": 60,
                               "description": "wait up to this long for the task to finish"}
            }, "required": ["task_id"], "additionalProperties": false}""",
            List.of(Scopes.TASKS_READ),
            false,
            (caller, args) -> {
              UUID id = uuid(args.string("task_id"), "task_id");
              Integer wait = args.optionalInt("wait_seconds", 0, MAX_WAIT_SECONDS);
              Map<String, Object> query =
                  wait == null || wait == 0 ? Map.of() : Map.of("wait", wait);
              return allowedTask(api.get(caller.token(), "/api/v1/tasks/" + id, query));
            }),
        new Tool(
            "cancel_task",
            """
            Cancels a task that has not finished, so the device will not run it (QUEUED or \
            PENDING) or its result is no longer awaited (LOCKED: a device may already be \
            running it, and what it did is not undone). A finished task is left as is.""",
            """
            {"type": "object", "properties": {
              "task_id": {"type": "string", "format": "uuid"}
            }, "required": ["task_id"], "additionalProperties": false}""",
            List.of(Scopes.TASKS_WRITE),
            true,
            (caller, args) -> {
              UUID id = uuid(args.string("task_id"), "task_id");
              // Read first: the allowlist is about the task's device, which only the task names.
              JsonNode task = allowedTask(api.get(caller.token(), "/api/v1/tasks/" + id, Map.of()));
              if (policy.dryRun()) {
                return ToolPolicy.wouldCall(
                    "DELETE",
                    "/api/v1/tasks/" + id,
                    null,
                    "cancel task "
                        + id
                        + " of device "
                        + task.path("device_id").asString()
                        + ", now "
                        + task.path("status").asString());
              }
              return api.delete(caller.token(), "/api/v1/tasks/" + id);
            }));
  }

  private Object create(io.asyncrpc.mcp.security.Caller caller, Arguments args) {
    String device = policy.device(args.string("device_id"));
    String method = args.string("method_code");
    if (!method.matches(ProtocolLimits.METHOD_CODE_PATTERN)) {
      throw new ToolRefused("method_code must match " + ProtocolLimits.METHOD_CODE_PATTERN);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("device_id", device);
    body.put("method_code", method);
    putIfPresent(body, "payload", args.raw("payload"));
    putIfPresent(body, "ttl", args.optionalInt("ttl", 1, 604_800));
    putIfPresent(body, "priority", args.optionalInt("priority", 0, 9));
    putIfPresent(body, "online_only", args.optionalBoolean("online_only"));
    putIfPresent(body, "external_id", args.optionalString("external_id"));
    Map<String, String> headers = new LinkedHashMap<>();
    String key = args.optionalString("idempotency_key");
    if (key != null) {
      headers.put("Idempotency-Key", key);
    }
    Integer wait = args.optionalInt("wait_seconds", 0, MAX_WAIT_SECONDS);
    if (wait != null && wait > 0) {
      headers.put("Prefer", "wait=" + wait);
    }
    if (policy.dryRun()) {
      return ToolPolicy.wouldCall(
          "POST", "/api/v1/tasks", body, "device " + device + " would be asked to run " + method);
    }
    return api.post(caller.token(), "/api/v1/tasks", body, headers);
  }

  /** The task, unless its device is outside the allowlist. */
  private JsonNode allowedTask(JsonNode task) {
    policy.allowlist().check(task.path("device_id").asString(""));
    return task;
  }

  static UUID uuid(String value, String name) {
    try {
      return UUID.fromString(value);
    } catch (IllegalArgumentException e) {
      throw new ToolRefused(name + " must be a UUID");
    }
  }

  static void putIfPresent(Map<String, Object> body, String name, @Nullable Object value) {
    if (value != null) {
      body.put(name, value);
    }
  }
}
