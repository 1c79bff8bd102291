package io.asyncrpc.core.presence;

import io.asyncrpc.protocol.DeviceId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * An MQTT connection of a device opened or closed, read from a RabbitMQ event.
 *
 * @param deviceId the MQTT client id, a well-formed device id
 * @param opened true for {@code connection.created}, false for {@code connection.closed}
 * @param connectedAt when the connection was opened
 * @param at when the event happened
 */
record ConnectionEvent(String deviceId, boolean opened, @Nullable Instant connectedAt, Instant at) {

  static final String CREATED = "connection.created";
  static final String CLOSED = "connection.closed";

  private static final Pattern CLIENT_ID =
      Pattern.compile("\\{client_id,longstr,<<\"([^\"]*)\">>}");

  /** The event, or empty when it is not about an MQTT connection with a device-shaped client id. */
  static Optional<ConnectionEvent> from(
      @Nullable String routingKey, Map<String, @Nullable Object> headers) {
    boolean opened = CREATED.equals(routingKey);
    if (!opened && !CLOSED.equals(routingKey)) {
      return Optional.empty();
    }
    if (!String.valueOf(headers.get("protocol")).startsWith("{'MQTT'")) {
      return Optional.empty();
    }
    Optional<String> clientId = clientId(headers.get("client_properties"));
    if (clientId.isEmpty() || !DeviceId.isValid(clientId.get())) {
      return Optional.empty();
    }
    Instant at = millis(headers.get("timestamp_in_ms")).orElseGet(Instant::now);
    Instant connectedAt = millis(headers.get("connected_at")).orElse(opened ? at : null);
    return Optional.of(new ConnectionEvent(clientId.get(), opened, connectedAt, at));
  }

  private static Optional<String> clientId(@Nullable Object clientProperties) {
    if (clientProperties == null) {
      return Optional.empty();
    }
    List<?> elements = clientProperties instanceof List<?> list ? list : List.of(clientProperties);
    for (Object element : elements) {
      Matcher matcher = CLIENT_ID.matcher(String.valueOf(element));
      if (matcher.find()) {
        return Optional.of(matcher.group(1));
      }
    }
    return Optional.empty();
  }

  private static Optional<Instant> millis(@Nullable Object value) {
    if (value instanceof Number number) {
      return Optional.of(Instant.ofEpochMilli(number.longValue()));
    }
    try {
      return value == null
          ? Optional.empty()
          : Optional.of(Instant.ofEpochMilli(Long.parseLong(value.toString())));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
