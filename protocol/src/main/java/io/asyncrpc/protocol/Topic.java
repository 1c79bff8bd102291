package io.asyncrpc.protocol;

import java.util.Optional;

/**
 * One protocol topic: a device and a message kind. Renders the MQTT topic and the equivalent
 * RabbitMQ routing key on {@code amq.topic}.
 *
 * @param device the device the topic belongs to
 * @param kind the message kind
 */
public record Topic(DeviceId device, MessageKind kind) {

  /** The exchange RabbitMQ's MQTT plugin maps topics onto. */
  public static final String MQTT_EXCHANGE = "amq.topic";

  public static Topic of(String device, MessageKind kind) {
    return new Topic(new DeviceId(device), kind);
  }

  /** The MQTT topic, for example {@code srv/SN1/tsk}. */
  public String mqtt() {
    return kind.direction().prefix() + "/" + device.value() + "/" + kind.suffix();
  }

  /** The AMQP routing key on {@code amq.topic}, for example {@code srv.SN1.tsk}. */
  public String routingKey() {
    return kind.direction().prefix() + "." + device.value() + "." + kind.suffix();
  }

  /** The MQTT subscription filter for everything the core sends to {@code device}. */
  public static String subscriptionFilter(DeviceId device) {
    return MessageKind.Direction.TO_DEVICE.prefix() + "/" + device.value() + "/+";
  }

  /** Parses an MQTT topic such as {@code dev/SN1/res}; empty when it is not a protocol topic. */
  public static Optional<Topic> parseMqtt(String topic) {
    return parse(topic, '/');
  }

  /**
   * Parses a routing key such as {@code dev.SN1.res}; empty when it is not a protocol topic (an
   * unknown suffix such as {@code evt}, too many segments, or a malformed device id).
   */
  public static Optional<Topic> parseRoutingKey(String routingKey) {
    return parse(routingKey, '.');
  }

  private static Optional<Topic> parse(String text, char separator) {
    if (text == null) {
      return Optional.empty();
    }
    int first = text.indexOf(separator);
    int last = text.lastIndexOf(separator);
    if (first < 0 || first == last) {
      return Optional.empty();
    }
    String prefix = text.substring(0, first);
    String device = text.substring(first + 1, last);
    String suffix = text.substring(last + 1);
    if (!DeviceId.isValid(device)) {
      return Optional.empty();
    }
    for (MessageKind.Direction direction : MessageKind.Direction.values()) {
      if (direction.prefix().equals(prefix)) {
        return MessageKind.of(direction, suffix).map(kind -> new Topic(new DeviceId(device), kind));
      }
    }
    return Optional.empty();
  }
}
