package io.asyncrpc.core.southbound;

import io.asyncrpc.protocol.TaskIds;
import io.asyncrpc.protocol.UserProperties;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;
import org.springframework.amqp.core.MessageProperties;

/**
 * Reads the task id of a device's message from where RabbitMQ's MQTT plugin puts MQTT 5 correlation
 * data on the AMQP side:
 *
 * <ol>
 *   <li>{@code correlation_id}: correlation data that is valid UTF-8 of at most 255 bytes, the
 *       36-character UUID text the seed's devices send (or, rarely, 16 raw bytes that happen to be
 *       valid UTF-8);
 *   <li>header {@code x-correlation-id}: correlation data that is not UTF-8, such as 16 raw bytes;
 *   <li>header {@code correlationData}: the user property of clients that cannot set correlation
 *       data, the UUID text.
 * </ol>
 */
final class Correlation {

  /** The header RabbitMQ uses for MQTT 5 correlation data that is not valid UTF-8. */
  static final String RAW_HEADER = "x-correlation-id";

  private Correlation() {}

  /** The task id, or empty when the message carries none or an unreadable one. */
  static Optional<UUID> taskId(MessageProperties properties) {
    String correlationId = properties.getCorrelationId();
    if (correlationId != null) {
      return TaskIds.fromCorrelationData(correlationId.getBytes(StandardCharsets.UTF_8));
    }
    Object raw = properties.getHeaders().get(RAW_HEADER);
    if (raw instanceof byte[] bytes) {
      return TaskIds.fromCorrelationData(bytes);
    }
    if (raw != null) {
      return TaskIds.fromCorrelationData(raw.toString().getBytes(StandardCharsets.UTF_8));
    }
    Object fallback = properties.getHeaders().get(UserProperties.CORRELATION_DATA);
    if (fallback != null) {
      return TaskIds.fromText(Headers.text(fallback).strip());
    }
    return Optional.empty();
  }
}
