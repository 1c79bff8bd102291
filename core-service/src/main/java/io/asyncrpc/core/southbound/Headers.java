package io.asyncrpc.core.southbound;

import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.core.MessageProperties;

/** MQTT 5 user properties as they arrive: AMQP headers, text in one form or another. */
final class Headers {

  private Headers() {}

  /** The header's value as text, or null when it is absent. */
  static @Nullable String get(MessageProperties properties, String name) {
    Object value = properties.getHeaders().get(name);
    return value == null ? null : text(value);
  }

  static String text(Object value) {
    return value instanceof byte[] bytes
        ? new String(bytes, StandardCharsets.UTF_8)
        : String.valueOf(value);
  }
}
