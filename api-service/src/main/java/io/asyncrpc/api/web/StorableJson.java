package io.asyncrpc.api.web;

import io.asyncrpc.task.model.JsonbLimits;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Checks that a JSON document a client sent can be stored in {@code jsonb} as it is (see {@link
 * JsonbLimits}), so such input is a 400 rather than a failed statement.
 */
public final class StorableJson {

  private StorableJson() {}

  /** Why {@code document} cannot be stored, or empty when it can. */
  public static Optional<String> problem(JsonNode document) {
    Deque<JsonNode> pending = new ArrayDeque<>();
    pending.push(document);
    while (!pending.isEmpty()) {
      JsonNode node = pending.pop();
      if (node.isString() && !JsonbLimits.isStorableText(node.stringValue())) {
        return Optional.of(TEXT);
      }
      if (node.isNumber() && !storable(node)) {
        return Optional.of(NUMBER);
      }
      if (node.isObject()) {
        for (Map.Entry<String, JsonNode> field : node.properties()) {
          if (!JsonbLimits.isStorableText(field.getKey())) {
            return Optional.of(TEXT);
          }
          pending.push(field.getValue());
        }
      } else if (node.isArray()) {
        node.values().forEach(pending::push);
      }
    }
    return Optional.empty();
  }

  private static boolean storable(JsonNode number) {
    if (number.isFloatingPointNumber()
        && !number.isBigDecimal()
        && !Double.isFinite(number.doubleValue())) {
      return false;
    }
    return JsonbLimits.isStorableNumber(number.decimalValue());
  }

  static final String TEXT = "must not contain U+0000 or an unpaired surrogate";
  static final String NUMBER =
      "must not contain a number longer than "
          + JsonbLimits.MAX_NUMBER_DIGITS
          + " digits written out (e.g. 1e1000)";
}
