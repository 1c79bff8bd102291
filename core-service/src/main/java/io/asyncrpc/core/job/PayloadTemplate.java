package io.asyncrpc.core.job;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A job's payload with per-device values: in every string value (not in keys, numbers or other
 * types), {@code {{device.id}}} becomes the device's id and {@code {{device.tags.<key>}}} the value
 * of its tag {@code <key>}, or the empty string when the device has no such tag. Anything else
 * between double braces stays as it is.
 */
final class PayloadTemplate {

  private static final Pattern PLACEHOLDER =
      Pattern.compile("\\{\\{\\s*device\\.(?:(id)|tags\\.([A-Za-z0-9_.\\-]{1,63}))\\s*}}");

  private final JsonNode payload;
  private final boolean plain;

  PayloadTemplate(JsonNode payload) {
    this.payload = payload;
    this.plain = !payload.toString().contains("{{");
  }

  /** Whether no execution's payload differs from the job's. */
  boolean plain() {
    return plain;
  }

  /** The payload for one device. */
  JsonNode render(String deviceId, Map<String, String> tags) {
    return plain ? payload : render(payload, deviceId, tags);
  }

  private static JsonNode render(JsonNode node, String deviceId, Map<String, String> tags) {
    if (node.isString()) {
      return JsonNodeFactory.instance.stringNode(fill(node.stringValue(), deviceId, tags));
    }
    if (node.isArray()) {
      ArrayNode array = JsonNodeFactory.instance.arrayNode();
      for (JsonNode element : node) {
        array.add(render(element, deviceId, tags));
      }
      return array;
    }
    if (node.isObject()) {
      ObjectNode object = JsonNodeFactory.instance.objectNode();
      for (Map.Entry<String, JsonNode> property : node.properties()) {
        object.set(property.getKey(), render(property.getValue(), deviceId, tags));
      }
      return object;
    }
    return node;
  }

  static String fill(String text, String deviceId, Map<String, String> tags) {
    if (!text.contains("{{")) {
      return text;
    }
    Matcher m = PLACEHOLDER.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = m.group(1) != null ? deviceId : tags.getOrDefault(m.group(2), "");
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }
}
