package io.asyncrpc.agent.internal;

import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The agent's one JSON mapper and the few JSON checks the protocol needs. */
public final class Json {

  /** Shared, thread-safe mapper; field names are written exactly as the records name them. */
  public static final JsonMapper MAPPER =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

  private Json() {}

  /** Whether {@code text} is exactly one JSON document (anything after it is an error). */
  public static boolean isDocument(String text) {
    if (text == null || text.isBlank()) {
      return false;
    }
    try {
      MAPPER.readTree(text);
      return true;
    } catch (JacksonException e) {
      return false;
    }
  }

  /** Parses {@code text}, or returns {@code null} when it is not one JSON document. */
  static @Nullable JsonNode parseOrNull(@Nullable String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return MAPPER.readTree(text);
    } catch (JacksonException e) {
      return null;
    }
  }

  /**
   * Parses {@code text} as one JSON object; anything else is an {@link IllegalArgumentException}.
   */
  static JsonNode object(String text) {
    JsonNode node = parseOrNull(text);
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("not a JSON object: " + text);
    }
    return node;
  }

  /** {@code {"error": message}} plus extra members, as JSON text. */
  static String errorDocument(String message, Map<String, String> extra) {
    var node = MAPPER.createObjectNode();
    node.put("error", message);
    extra.forEach(node::put);
    return MAPPER.writeValueAsString(node);
  }
}
