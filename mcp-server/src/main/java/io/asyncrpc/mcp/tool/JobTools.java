package io.asyncrpc.mcp.tool;

import io.asyncrpc.mcp.api.RestApi;
import io.asyncrpc.mcp.security.Caller;
import io.asyncrpc.token.Scopes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/** The fleet job tools: the same call to many devices, rolled out, and its progress. */
@Component
final class JobTools {

  private final RestApi api;
  private final ToolPolicy policy;

  JobTools(RestApi api, ToolPolicy policy) {
    this.api = api;
    this.policy = policy;
  }

  List<Tool> tools() {
    return List.of(
        new Tool(
            "create_job",
            """
            Sends the same command to many real devices: a job creates one task per target \
            device (an explicit device_ids list, or every device with a tag), at the rollout's \
            rate, and stops when an abort criterion is crossed. Each device runs method_code \
            with the payload (string values may hold {{device.id}} and \
            {{device.tags.<key>}}). This changes devices across the fleet: prefer a small \
            device_ids list or a canary tag first. Follow it with get_job.""",
            """
            {"type": "object", "properties": {
              "targets": {"type": "object", "properties": {
                "device_ids": {"type": "array", "minItems": 1, "maxItems": 10000,
                               "items": {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,64}$"}},
                "tag": {"type": "string", "pattern": "^[^:]+:.+$",
                        "description": "key:value: every device with this tag"},
                "continuous": {"type": "boolean",
                               "description": "with tag: devices that get the tag later get the job too"}
              }, "additionalProperties": false},
              "method_code": {"type": "string", "maxLength": 100},
              "payload": {"description": "each execution's payload (any JSON value)"},
              "ttl": {"type": "integer", "minimum": 1, "maximum": 2592000},
              "priority": {"type": "integer", "minimum": 0, "maximum": 9},
              "retries": {"type": "integer", "minimum": 0, "maximum": 10},
              "rollout": {"type": "object", "description":
                "{max_per_minute} or exponential {base_per_minute, increment_factor, increase_after_notified | increase_after_succeeded, max_per_minute}"},
              "abort": {"type": "array", "maxItems": 5, "items": {"type": "object", "properties": {
                "failure_type": {"enum": ["FAILED", "TIMED_OUT", "EXPIRED", "ANY"]},
                "min_executed": {"type": "integer", "minimum": 1},
                "threshold_percent": {"type": "number", "minimum": 0.1, "maximum": 100}
              }, "required": ["failure_type", "min_executed", "threshold_percent"]}},
              "start_at": {"type": "string", "format": "date-time"},
              "idempotency_key": {"type": "string", "maxLength": 128}
            }, "required": ["targets", "method_code", "payload"], "additionalProperties": false}""",
            List.of(Scopes.TASKS_WRITE),
            true,
            this::create),
        new Tool(
            "get_job",
            """
            Gets a job: its status, targets, rollout and how many executions are in each task \
            status (and not started yet). Read-only: it sends nothing to any device.""",
            """
            {"type": "object", "properties": {
              "job_id": {"type": "string", "format": "uuid"}
            }, "required": ["job_id"], "additionalProperties": false}""",
            List.of(Scopes.TASKS_READ),
            false,
            (caller, args) ->
                api.get(
                    caller.token(),
                    "/api/v1/jobs/" + TaskTools.uuid(args.string("job_id"), "job_id"),
                    Map.of())));
  }

  private Object create(Caller caller, Arguments args) {
    Map<String, Object> targets = args.object("targets");
    if (targets == null) {
      throw new ToolRefused("targets is required");
    }
    Arguments target = new Arguments(targets);
    List<String> deviceIds = target.strings("device_ids");
    String tag = target.optionalString("tag");
    Map<String, Object> sent = new LinkedHashMap<>(targets);
    String resolved = null;
    if (!deviceIds.isEmpty()) {
      deviceIds.forEach(policy::device);
    } else if (tag != null && !policy.allowlist().isOpen()) {
      // A tag names devices only the registry knows: resolve it and check each; the job then
      // targets exactly those ids, so a device tagged later cannot slip past the allowlist.
      if (Boolean.TRUE.equals(target.optionalBoolean("continuous"))) {
        throw new ToolRefused(
            "a continuous tag target is refused with a device allowlist: devices that get the tag"
                + " later could not be checked; name the devices in device_ids");
      }
      List<String> tagged = devicesWithTag(caller, tag);
      List<String> outside =
          tagged.stream().filter(d -> !policy.allowlist().allows(d)).limit(10).toList();
      if (!outside.isEmpty()) {
        throw new ToolRefused(
            "tag "
                + tag
                + " selects devices outside this server's allowlist "
                + policy.allowlist()
                + ", e.g. "
                + outside
                + "; nothing was sent");
      }
      if (tagged.isEmpty()) {
        throw new ToolRefused("tag " + tag + " selects no device of the allowlist");
      }
      sent = new LinkedHashMap<>(Map.of("device_ids", tagged));
      resolved = "tag " + tag + " resolved to " + tagged.size() + " devices, all allowed";
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("targets", sent);
    body.put("method_code", args.string("method_code"));
    body.put("payload", args.raw("payload"));
    for (String name : List.of("ttl", "priority", "retries", "rollout", "abort", "start_at")) {
      TaskTools.putIfPresent(body, name, args.raw(name));
    }
    Map<String, String> headers = new LinkedHashMap<>();
    String key = args.optionalString("idempotency_key");
    if (key != null) {
      headers.put("Idempotency-Key", key);
    }
    if (policy.dryRun()) {
      Object count =
          sent.containsKey("device_ids") ? ((List<?>) sent.get("device_ids")).size() : tag;
      return ToolPolicy.wouldCall(
          "POST",
          "/api/v1/jobs",
          body,
          "a job running "
              + body.get("method_code")
              + " on "
              + count
              + " device(s)"
              + (resolved == null ? "" : " (" + resolved + ")"));
    }
    JsonNode job = api.post(caller.token(), "/api/v1/jobs", body, headers);
    return job;
  }

  private List<String> devicesWithTag(Caller caller, String tag) {
    List<String> ids = new ArrayList<>();
    String cursor = null;
    do {
      Map<String, Object> query = new LinkedHashMap<>();
      query.put("tag", tag);
      query.put("limit", 200);
      query.put("cursor", cursor);
      JsonNode page = api.get(caller.token(), "/api/v1/devices", query);
      for (JsonNode device : page.path("items")) {
        ids.add(device.path("id").asString());
      }
      if (ids.size() > policy.maxTagDevices()) {
        throw new ToolRefused(
            "tag "
                + tag
                + " selects more than "
                + policy.maxTagDevices()
                + " devices (iot.mcp.max-tag-devices); name the devices in device_ids");
      }
      JsonNode next = page.path("next_cursor");
      cursor = next.isString() ? next.asString() : null;
    } while (cursor != null);
    return ids;
  }
}
