package io.asyncrpc.agent.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * One golden message of protocol v1, read from the protocol module's {@code /golden/} resources.
 *
 * @param topic the MQTT topic
 * @param correlationData the correlation data bytes (text or raw), or {@code null}
 * @param userProperties the user properties, values as strings
 * @param payload the payload JSON, or {@code null} for an empty payload
 */
record GoldenMessage(
    String topic, byte[] correlationData, Map<String, String> userProperties, JsonNode payload) {

  static GoldenMessage load(String name) {
    try (InputStream in = GoldenMessage.class.getResourceAsStream("/golden/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no golden message " + name);
      }
      JsonNode json = Json.MAPPER.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      byte[] correlation = null;
      if (json.path("correlation_data").isString()) {
        correlation = json.path("correlation_data").asString().getBytes(StandardCharsets.US_ASCII);
      } else if (json.path("correlation_data_hex").isString()) {
        correlation = HexFormat.of().parseHex(json.path("correlation_data_hex").asString());
      }
      Map<String, String> properties = new LinkedHashMap<>();
      json.path("user_properties")
          .properties()
          .forEach(entry -> properties.put(entry.getKey(), entry.getValue().asString()));
      JsonNode payload = json.path("payload").isNull() ? null : json.path("payload");
      return new GoldenMessage(json.path("topic").asString(), correlation, properties, payload);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The payload as the bytes on the wire: empty for none. */
  byte[] payloadBytes() {
    return payload == null
        ? new byte[0]
        : Json.MAPPER.writeValueAsString(payload).getBytes(StandardCharsets.UTF_8);
  }

  /** The correlation data as text, for golden messages that carry the text form. */
  String correlationText() {
    return correlationData == null ? null : new String(correlationData, StandardCharsets.US_ASCII);
  }
}
