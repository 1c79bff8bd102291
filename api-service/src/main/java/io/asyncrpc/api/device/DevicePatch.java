package io.asyncrpc.api.device;

import io.asyncrpc.task.model.JsonbLimits;
import io.asyncrpc.web.ApiException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A merge patch of a device (RFC 7396): {@code display_name} (text, or null to clear) and {@code
 * tags} (an object whose null values remove tags). Read from the JSON tree, because "absent" and
 * "null" mean different things here.
 *
 * @param displayNameGiven whether the patch names the display name at all
 * @param displayName the new display name, or null to clear it
 * @param tags per key the new value, or empty to remove the tag
 */
record DevicePatch(
    boolean displayNameGiven, @Nullable String displayName, Map<String, Optional<String>> tags) {

  static final int MAX_DISPLAY_NAME = 200;

  static DevicePatch of(JsonNode body) {
    if (!body.isObject()) {
      throw invalid("body", "must be a JSON object");
    }
    for (String field : body.propertyNames()) {
      if (!field.equals("display_name") && !field.equals("tags")) {
        throw invalid(field, "is not a field of a device patch (display_name, tags)");
      }
    }
    JsonNode name = body.get("display_name");
    String displayName = null;
    if (name != null && !name.isNull()) {
      if (!name.isString()
          || name.asString().length() > MAX_DISPLAY_NAME
          || !JsonbLimits.isStorableText(name.asString())) {
        throw invalid(
            "display_name", "must be text of at most " + MAX_DISPLAY_NAME + " characters, or null");
      }
      displayName = name.asString();
    }
    Map<String, Optional<String>> tags = new LinkedHashMap<>();
    JsonNode given = body.get("tags");
    if (given != null && !given.isNull()) {
      if (!given.isObject()) {
        throw invalid("tags", "must be an object of tag values (null removes a tag)");
      }
      for (Map.Entry<String, JsonNode> tag : given.properties()) {
        DeviceTags.checkKey(tag.getKey(), "tags");
        JsonNode value = tag.getValue();
        if (!value.isNull() && !value.isString()) {
          throw invalid("tags." + tag.getKey(), "must be text, or null to remove the tag");
        }
        tags.put(tag.getKey(), value.isNull() ? Optional.empty() : Optional.of(value.asString()));
      }
    }
    return new DevicePatch(name != null, displayName, tags);
  }

  private static ApiException invalid(String field, String message) {
    return DeviceTags.invalid(field, message);
  }
}
