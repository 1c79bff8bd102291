package io.asyncrpc.ca.broker;

import java.util.regex.Pattern;

/**
 * The broker permissions of one device, in one place so they can follow the broker's configuration.
 * A device may only use its own MQTT session queues and, on {@code amq.topic}, publish under {@code
 * dev/<id>/} and subscribe under {@code srv/<id>/} (MQTT {@code /} is {@code .} in routing keys).
 *
 * <p>Every pattern is anchored: unanchored, device {@code dev1} would also match {@code dev10}. A
 * device id is {@code [A-Za-z0-9_-]}: none of these is a regex metacharacter outside a character
 * class, so the id is inserted as it is.
 *
 * @param configure vhost permission: which queues the device may declare or delete
 * @param write vhost permission: where it may publish, and which queues it may bind
 * @param read vhost permission: which queues it may consume, and exchanges it may bind from
 * @param topicWrite topic permission on {@code amq.topic}: routing keys it may publish to
 * @param topicRead topic permission on {@code amq.topic}: routing keys it may subscribe to
 */
public record DevicePermissions(
    String configure, String write, String read, String topicWrite, String topicRead) {

  /** The topic exchange MQTT is mapped to. */
  public static final String TOPIC_EXCHANGE = "amq.topic";

  private static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  /** The permissions of {@code deviceId}. */
  public static DevicePermissions of(String deviceId) {
    if (!DEVICE_ID.matcher(deviceId).matches()) {
      throw new IllegalArgumentException("not a device id: " + deviceId);
    }
    String sessionQueues = "mqtt-subscription-" + deviceId + "qos[01]";
    return new DevicePermissions(
        "^" + sessionQueues + "$",
        "^(amq\\.topic|" + sessionQueues + ")$",
        "^(amq\\.topic|" + sessionQueues + ")$",
        "^dev\\." + deviceId + "\\..+$",
        "^srv\\." + deviceId + "\\..+$");
  }
}
