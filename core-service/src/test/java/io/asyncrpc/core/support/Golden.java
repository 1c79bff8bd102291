package io.asyncrpc.core.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A golden message of protocol v1 ({@code /golden/NN-name.json} from the protocol module), used as
 * a test vector with the test's own device and task ids put in place of the example ids.
 *
 * @param topic the MQTT topic
 * @param correlationData the task id text, or null
 * @param correlationHex the raw correlation bytes in hex, or null
 * @param userProperties the user properties
 * @param payload the payload JSON text, or null for an empty payload
 */
public record Golden(
    String topic,
    String correlationData,
    String correlationHex,
    Map<String, String> userProperties,
    String payload) {

  /** The device id used in the golden files. */
  public static final String DEVICE = "SN-0001";

  /** The task id used in the golden files. */
  public static final UUID TASK = UUID.fromString("3f2b6c1e-8d4a-4f7e-9b1c-2a5d6e7f8091");

  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  public static Golden load(String name) {
    try (InputStream in = Golden.class.getResourceAsStream("/golden/" + name + ".json")) {
      if (in == null) {
        throw new IllegalArgumentException("no golden message " + name);
      }
      JsonNode node = MAPPER.readTree(in);
      Map<String, String> properties = new LinkedHashMap<>();
      node.get("user_properties")
          .properties()
          .forEach(e -> properties.put(e.getKey(), e.getValue().stringValue()));
      return new Golden(
          node.get("topic").stringValue(),
          text(node.get("correlation_data")),
          text(node.get("correlation_data_hex")),
          properties,
          node.get("payload").isNull() ? null : MAPPER.writeValueAsString(node.get("payload")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The golden message for {@code device} and {@code task}. */
  public Golden forTask(String device, UUID task) {
    Map<String, String> properties = new LinkedHashMap<>();
    userProperties.forEach(
        (k, v) -> properties.put(k, v.replace(TASK.toString(), task.toString())));
    return new Golden(
        topic.replace(DEVICE, device),
        correlationData == null ? null : correlationData.replace(TASK.toString(), task.toString()),
        correlationHex == null ? null : HexFormat.of().formatHex(raw(task)),
        properties,
        payload);
  }

  /** The correlation data to send: the hex bytes where given, else the text, else none. */
  public byte[] correlationBytes() {
    if (correlationHex != null) {
      return HexFormat.of().parseHex(correlationHex);
    }
    return correlationData == null ? null : correlationData.getBytes();
  }

  private static byte[] raw(UUID id) {
    return io.asyncrpc.protocol.TaskIds.toRawBytes(id);
  }

  private static String text(JsonNode node) {
    return node == null || node.isNull() ? null : node.stringValue();
  }
}
