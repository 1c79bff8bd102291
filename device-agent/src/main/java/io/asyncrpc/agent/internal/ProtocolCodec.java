package io.asyncrpc.agent.internal;

import io.asyncrpc.protocol.DeviceId;
import io.asyncrpc.protocol.MessageKind;
import io.asyncrpc.protocol.StatusCodes;
import io.asyncrpc.protocol.TaskIds;
import io.asyncrpc.protocol.Topic;
import io.asyncrpc.protocol.UserProperties;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * Builds the device's messages and decodes the core's, exactly as the golden messages of protocol
 * v1 show them.
 *
 * <p>Correlation data is sent as the task id's 36-char text (what the seed's devices send) and
 * accepted as 16 raw bytes, the text, or the {@code correlationData} user property fallback.
 */
final class ProtocolCodec {

  private static final byte[] EMPTY = new byte[0];

  private final DeviceId device;

  ProtocolCodec(DeviceId device) {
    this.device = device;
  }

  /** {@code dev/<SN>/ack}: acknowledges the trigger of {@code taskId}; empty payload. */
  OutgoingMessage ack(UUID taskId) {
    return new OutgoingMessage(
        new Topic(device, MessageKind.ACK), TaskIds.toCorrelationData(taskId), Map.of(), EMPTY);
  }

  /** {@code dev/<SN>/req}: requests {@code taskId}, or the head of the FIFO for the zero UUID. */
  OutgoingMessage request(UUID taskId) {
    return new OutgoingMessage(
        new Topic(device, MessageKind.REQUEST), TaskIds.toCorrelationData(taskId), Map.of(), EMPTY);
  }

  /** {@code dev/<SN>/res}: the stored result of a task. */
  OutgoingMessage result(JournalEntry entry) {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put(UserProperties.STATUS_CODE, Integer.toString(entry.statusCode()));
    if (entry.externalId() != null) {
      properties.put(UserProperties.EXTERNAL_ID, entry.externalId());
    }
    return new OutgoingMessage(
        new Topic(device, MessageKind.RESULT),
        TaskIds.toCorrelationData(entry.taskId()),
        properties,
        entry.result().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Decodes a message that arrived on {@code topic}.
   *
   * @param topic the MQTT topic
   * @param correlationData the correlation data, or {@code null}
   * @param properties the user properties (first value of each name)
   * @param payload the payload, possibly empty
   */
  DeviceBound decode(
      String topic, byte[] correlationData, Map<String, String> properties, byte[] payload) {
    Optional<Topic> parsed = Topic.parseMqtt(topic);
    if (parsed.isEmpty()
        || parsed.get().kind().direction() != MessageKind.Direction.TO_DEVICE
        || !parsed.get().device().equals(device)) {
      return new DeviceBound.Invalid("unexpected topic " + topic);
    }
    MessageKind kind = parsed.get().kind();
    UUID taskId = taskId(correlationData, properties);
    String text = payload == null ? "" : new String(payload, StandardCharsets.UTF_8);
    if (taskId == null && kind != MessageKind.ERROR) {
      return new DeviceBound.Invalid("malformed or missing correlation data on " + topic);
    }
    return switch (kind) {
      case TRIGGER -> new DeviceBound.Trigger(taskId, properties.get(UserProperties.METHOD_CODE));
      case RESPONSE -> response(taskId, properties, text);
      case COMMIT -> new DeviceBound.Commit(taskId, commitResultId(properties, text));
      case ERROR -> error(taskId, properties, text);
      default -> new DeviceBound.Invalid("unexpected message kind on " + topic);
    };
  }

  private static DeviceBound response(UUID taskId, Map<String, String> properties, String text) {
    String status = properties.get(UserProperties.STATUS_CODE);
    String attempt = properties.get(UserProperties.ATTEMPT);
    int attempts = attempt == null ? 1 : StatusCodes.parse(attempt);
    return new DeviceBound.Response(
        taskId,
        status == null ? -1 : StatusCodes.parse(status),
        properties.get(UserProperties.METHOD_CODE),
        attempts < 1 ? 1 : attempts,
        instant(properties.get(UserProperties.DEADLINE)),
        properties.get(UserProperties.EXTERNAL_ID),
        text);
  }

  private static UUID commitResultId(Map<String, String> properties, String text) {
    String property = properties.get(UserProperties.RESULT_ID);
    if (property != null) {
      return TaskIds.fromText(property).orElse(null);
    }
    JsonNode json = Json.parseOrNull(text);
    if (json != null && json.path("result_id").isString()) {
      return TaskIds.fromText(json.path("result_id").asString()).orElse(null);
    }
    return null;
  }

  private static DeviceBound error(UUID taskId, Map<String, String> properties, String text) {
    JsonNode json = Json.parseOrNull(text);
    String code = properties.get(UserProperties.ERROR_CODE);
    if (code == null && json != null && json.path("code").isString()) {
      code = json.path("code").asString();
    }
    String message = json != null ? json.path("message").asString("") : "";
    String refused =
        json != null && json.path("topic").isString() ? json.path("topic").asString() : null;
    return new DeviceBound.Error(taskId, code == null ? "unknown" : code, message, refused);
  }

  private static UUID taskId(byte[] correlationData, Map<String, String> properties) {
    if (correlationData != null && correlationData.length > 0) {
      return TaskIds.fromCorrelationData(correlationData).orElse(null);
    }
    String fallback = properties.get(UserProperties.CORRELATION_DATA);
    return fallback == null ? null : TaskIds.fromText(fallback).orElse(null);
  }

  private static Instant instant(String text) {
    if (text == null) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
