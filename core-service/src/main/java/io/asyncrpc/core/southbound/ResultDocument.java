package io.asyncrpc.core.southbound;

import io.asyncrpc.protocol.ProtocolJson;
import io.asyncrpc.task.model.JsonbLimits;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The result document of a {@code res}: one JSON document, or no document at all.
 *
 * <p>An empty payload (or only whitespace) is accepted as "no result document" and stored as SQL
 * NULL: simple devices report a bare failure such as {@code status_code=500} without a body. Any
 * other payload must be one well-formed JSON value in UTF-8 (objects, arrays and scalars alike)
 * that PostgreSQL's {@code jsonb} can store ({@link JsonbLimits}): no U+0000 or unpaired surrogate
 * in a string or a member name, no number beyond {@code numeric}. Otherwise the statement storing
 * it would fail and the device would never get an answer.
 *
 * @param json the document's text, or null for none
 */
record ResultDocument(@Nullable String json) {

  static final ResultDocument NONE = new ResultDocument(null);

  /** The document of {@code body}, or empty when it is not valid, storable JSON. */
  static Optional<ResultDocument> parse(byte[] body, ProtocolJson protocolJson) {
    if (isBlank(body)) {
      return Optional.of(NONE);
    }
    JsonNode document;
    try {
      document = protocolJson.readExact(body);
    } catch (JacksonException e) {
      return Optional.empty();
    }
    return storable(document)
        ? Optional.of(new ResultDocument(new String(body, StandardCharsets.UTF_8)))
        : Optional.empty();
  }

  private static boolean storable(JsonNode document) {
    Deque<JsonNode> pending = new ArrayDeque<>();
    pending.push(document);
    while (!pending.isEmpty()) {
      JsonNode node = pending.pop();
      if (node.isString() && !JsonbLimits.isStorableText(node.stringValue())) {
        return false;
      }
      if (node.isNumber() && !JsonbLimits.isStorableNumber(node.decimalValue())) {
        return false;
      }
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        if (!JsonbLimits.isStorableText(field.getKey())) {
          return false;
        }
        pending.push(field.getValue());
      }
      if (node.isArray()) {
        node.values().forEach(pending::push);
      }
    }
    return true;
  }

  private static boolean isBlank(byte[] body) {
    for (byte b : body) {
      if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
        return false;
      }
    }
    return true;
  }
}
