package io.asyncrpc.core.support;

import io.asyncrpc.protocol.GoldenMessages;
import io.asyncrpc.protocol.TaskIds;
import io.asyncrpc.protocol.WireMessage;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A golden message ({@code /golden/NN-name.json}, read by the protocol module's {@link
 * GoldenMessages}) in the shape the core's test device sends and compares, with the test's own
 * device and task ids put in place of the example ids.
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

  /** Loads {@code name} (for example {@code 05-response}) with {@link GoldenMessages}. */
  public static Golden load(String name) {
    WireMessage message = GoldenMessages.load(name + ".json").message();
    byte[] correlation = message.correlationData();
    boolean raw = correlation != null && Arrays.equals(correlation, TaskIds.toRawBytes(TASK));
    Map<String, String> properties = new LinkedHashMap<>();
    message.userProperties().forEach(p -> properties.putIfAbsent(p.name(), p.value()));
    return new Golden(
        message.topic(),
        correlation == null || raw ? null : new String(correlation, StandardCharsets.US_ASCII),
        raw ? HexFormat.of().formatHex(correlation) : null,
        properties,
        message.payload().length == 0
            ? null
            : new String(message.payload(), StandardCharsets.UTF_8));
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
    return TaskIds.toRawBytes(id);
  }
}
