package io.asyncrpc.api.job;

import io.asyncrpc.api.device.DeviceTags;
import io.asyncrpc.api.web.StorableJson;
import io.asyncrpc.protocol.DeviceId;
import io.asyncrpc.protocol.ProtocolLimits;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A create request that passed every check needing no database, with its defaults applied and its
 * parts in the form they are stored (and the rollout in core-service reads).
 *
 * @param deviceIds the explicit targets, or null for a tag
 * @param tag the tag selector (key, value), or null for explicit targets
 * @param targetsJson the targets as stored: {@code {"device_ids": [...]}} or {@code {"tag": "k:v",
 *     "continuous": false}}
 * @param payloadJson the payload template, at most the protocol's payload limit
 * @param rolloutJson the rollout with its defaults
 * @param abortJson the abort criteria, possibly {@code []}
 */
record NewJob(
    @Nullable List<String> deviceIds,
    Map.@Nullable Entry<String, String> tag,
    String methodCode,
    int priority,
    int ttl,
    int retries,
    String targetsJson,
    String payloadJson,
    String rolloutJson,
    String abortJson,
    Instant startAt) {

  static final int DEFAULT_TTL = 3600;
  static final int DEFAULT_PRIORITY = 0;
  static final int DEFAULT_MAX_PER_MINUTE = 600;

  /** A placeholder: {@code {{device.id}}} or {@code {{device.tags.<key>}}}. */
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{(.*?)}}");

  private static final Pattern ALLOWED =
      Pattern.compile("device\\.id|device\\.tags\\.[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");

  static NewJob of(CreateJobRequest request, JsonMapper json) {
    JsonNodeFactory nodes = JsonNodeFactory.instance;
    CreateJobRequest.Targets targets = request.targets();
    List<String> ids = targets.deviceIds();
    Map.Entry<String, String> tag = null;
    ObjectNode targetsNode = nodes.objectNode();
    if ((ids == null) == (targets.tag() == null)) {
      throw JobProblems.invalid("targets", "must give either device_ids or tag");
    }
    if (ids != null) {
      Set<String> seen = new HashSet<>();
      for (String id : ids) {
        if (id == null || !DeviceId.isValid(id)) {
          throw JobProblems.invalid("targets.device_ids", "must match " + DeviceId.PATTERN);
        }
        if (!seen.add(id)) {
          throw JobProblems.invalid("targets.device_ids", "names " + id + " twice");
        }
      }
      if (Boolean.TRUE.equals(targets.continuous())) {
        throw JobProblems.invalid("targets.continuous", "needs a tag: a list of ids is fixed");
      }
      ArrayNode list = targetsNode.putArray("device_ids");
      ids.forEach(list::add);
    } else {
      tag = DeviceTags.selector(targets.tag());
      targetsNode.put("tag", targets.tag());
      targetsNode.put("continuous", Boolean.TRUE.equals(targets.continuous()));
    }

    JsonNode payload = request.payload();
    StorableJson.problem(payload)
        .ifPresent(
            message -> {
              throw JobProblems.invalid("payload", message);
            });
    checkPlaceholders(payload);
    String payloadJson = json.writeValueAsString(payload);
    int size = payloadJson.getBytes(StandardCharsets.UTF_8).length;
    if (size > ProtocolLimits.MAX_PAYLOAD_BYTES) {
      throw JobProblems.invalid(
          "payload", "must be at most " + ProtocolLimits.MAX_PAYLOAD_BYTES + " bytes");
    }

    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    Instant startAt =
        request.startAt() == null || request.startAt().isBefore(now)
            ? now
            : request.startAt().truncatedTo(ChronoUnit.MICROS);
    return new NewJob(
        ids == null ? null : List.copyOf(ids),
        tag,
        request.methodCode(),
        request.priority() == null ? DEFAULT_PRIORITY : request.priority(),
        request.ttl() == null ? DEFAULT_TTL : request.ttl(),
        request.retries() == null ? 0 : request.retries(),
        json.writeValueAsString(targetsNode),
        payloadJson,
        json.writeValueAsString(rollout(request.rollout())),
        json.writeValueAsString(abort(request.abort())),
        startAt);
  }

  private static ObjectNode rollout(CreateJobRequest.@Nullable Rollout rollout) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    if (rollout == null) {
      return node.put("max_per_minute", DEFAULT_MAX_PER_MINUTE);
    }
    boolean exponential =
        rollout.basePerMinute() != null
            || rollout.incrementFactor() != null
            || rollout.increaseAfterNotified() != null
            || rollout.increaseAfterSucceeded() != null;
    if (!exponential) {
      return node.put(
          "max_per_minute",
          rollout.maxPerMinute() == null ? DEFAULT_MAX_PER_MINUTE : rollout.maxPerMinute());
    }
    if (rollout.basePerMinute() == null || rollout.incrementFactor() == null) {
      throw JobProblems.invalid(
          "rollout", "an exponential rollout needs base_per_minute and increment_factor");
    }
    if ((rollout.increaseAfterNotified() == null) == (rollout.increaseAfterSucceeded() == null)) {
      throw JobProblems.invalid(
          "rollout",
          "an exponential rollout needs one of increase_after_notified, increase_after_succeeded");
    }
    node.put("base_per_minute", rollout.basePerMinute());
    node.put("increment_factor", rollout.incrementFactor());
    if (rollout.increaseAfterNotified() != null) {
      node.put("increase_after_notified", rollout.increaseAfterNotified());
    } else {
      node.put("increase_after_succeeded", rollout.increaseAfterSucceeded());
    }
    if (rollout.maxPerMinute() != null) {
      node.put("max_per_minute", rollout.maxPerMinute());
    }
    return node;
  }

  private static ArrayNode abort(@Nullable List<CreateJobRequest.AbortCriterion> criteria) {
    ArrayNode list = JsonNodeFactory.instance.arrayNode();
    if (criteria != null) {
      for (CreateJobRequest.AbortCriterion criterion : criteria) {
        list.addObject()
            .put("failure_type", criterion.failureType())
            .put("min_executed", criterion.minExecuted())
            .put("threshold_percent", criterion.thresholdPercent());
      }
    }
    return list;
  }

  /** Every {@code {{...}}} in a string value must be one this API fills in. */
  private static void checkPlaceholders(JsonNode node) {
    if (node.isString()) {
      Matcher m = PLACEHOLDER.matcher(node.asString());
      while (m.find()) {
        if (!ALLOWED.matcher(m.group(1).strip()).matches()) {
          throw JobProblems.invalid(
              "payload",
              "holds the placeholder {{"
                  + m.group(1)
                  + "}}; only {{device.id}} and {{device.tags.<key>}} are filled in");
        }
      }
    } else if (node.isContainer()) {
      for (JsonNode child : node.values()) {
        checkPlaceholders(child);
      }
    }
  }
}
