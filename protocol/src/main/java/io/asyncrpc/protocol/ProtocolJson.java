package io.asyncrpc.protocol;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON as it travels between the services and to devices: snake_case, ISO-8601 instants. The one
 * place the wire's JSON naming is configured; thread-safe, share one instance.
 */
public final class ProtocolJson {

  private final JsonMapper mapper =
      JsonMapper.builder()
          .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private final JsonMapper exact =
      mapper.rebuild().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

  /** The UTF-8 JSON of a protocol record. */
  public byte[] write(Object value) {
    return mapper.writeValueAsBytes(value);
  }

  /** Parses one JSON document; throws {@link JacksonException} for anything else. */
  public JsonNode read(byte[] json) {
    return mapper.readTree(json);
  }

  /**
   * Parses one JSON document keeping every number's exact value (decimals as {@code BigDecimal}, so
   * {@code 1e400} is not Infinity); throws {@link JacksonException} for anything else.
   */
  public JsonNode readExact(byte[] json) {
    return exact.readTree(json);
  }

  /** Parses one JSON document, or null when the text is not exactly one JSON document. */
  public @Nullable JsonNode readOrNull(byte @Nullable [] json) {
    if (json == null || json.length == 0) {
      return null;
    }
    try {
      return mapper.readTree(json);
    } catch (JacksonException e) {
      return null;
    }
  }
}
