package io.asyncrpc.core.support;

import io.asyncrpc.protocol.MessageKind;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One MQTT 5 message a test device received from the core.
 *
 * @param topic the MQTT topic
 * @param kind its kind
 * @param correlationData the raw correlation data, or null
 * @param userProperties the user properties
 * @param payload the payload bytes
 * @param qos the QoS it was delivered with
 */
public record Received(
    String topic,
    MessageKind kind,
    byte[] correlationData,
    Map<String, String> userProperties,
    byte[] payload,
    int qos) {

  /** The correlation data as text, or null. */
  public String correlation() {
    return correlationData == null ? null : new String(correlationData, StandardCharsets.UTF_8);
  }

  public String payloadText() {
    return new String(payload, StandardCharsets.UTF_8);
  }
}
