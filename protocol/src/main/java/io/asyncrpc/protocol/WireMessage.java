package io.asyncrpc.protocol;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One MQTT 5 message of the device protocol as it travels, independent of any MQTT client: what the
 * codecs produce and read, and what the golden messages describe. Always QoS 1.
 *
 * <p>User properties keep their order and may repeat (MQTT 5 allows it); protocol readers take the
 * <em>first</em> value of a name, everywhere ({@link #property}).
 *
 * @param topic the MQTT topic, for example {@code dev/SN1/res}
 * @param correlationData the correlation data, or {@code null} for none
 * @param userProperties the user properties in order
 * @param payload the payload bytes, empty for none
 * @param contentType the content type, or {@code null}
 * @param expirySeconds the message expiry interval in seconds, or {@code 0} for none
 */
public record WireMessage(
    String topic,
    byte @Nullable [] correlationData,
    List<UserProperty> userProperties,
    byte[] payload,
    @Nullable String contentType,
    long expirySeconds) {

  /** JSON, the content type of every protocol payload that has one. */
  public static final String JSON = "application/json";

  private static final byte[] EMPTY = new byte[0];

  /**
   * One MQTT 5 user property.
   *
   * @param name its name
   * @param value its value
   */
  public record UserProperty(String name, String value) {
    public UserProperty {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
    }
  }

  public WireMessage {
    Objects.requireNonNull(topic, "topic");
    userProperties = List.copyOf(userProperties);
    payload = payload == null ? EMPTY : payload;
  }

  /** A message with no content type and no expiry. */
  public static WireMessage of(
      String topic,
      byte @Nullable [] correlationData,
      List<UserProperty> userProperties,
      byte[] payload) {
    return new WireMessage(topic, correlationData, userProperties, payload, null, 0);
  }

  /** The first value of the user property {@code name}, or {@code null} when it is absent. */
  public @Nullable String property(String name) {
    for (UserProperty property : userProperties) {
      if (property.name().equals(name)) {
        return property.value();
      }
    }
    return null;
  }

  /** Builds user property lists in order; {@code null} values are left out. */
  public static final class Properties {
    private final List<UserProperty> list = new ArrayList<>();

    /** Adds {@code name=value} unless {@code value} is null. */
    public Properties add(String name, @Nullable Object value) {
      if (value != null) {
        list.add(new UserProperty(name, value.toString()));
      }
      return this;
    }

    public List<UserProperty> list() {
      return List.copyOf(list);
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof WireMessage m
        && topic.equals(m.topic)
        && Arrays.equals(correlationData, m.correlationData)
        && userProperties.equals(m.userProperties)
        && Arrays.equals(payload, m.payload)
        && Objects.equals(contentType, m.contentType)
        && expirySeconds == m.expirySeconds;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        topic,
        Arrays.hashCode(correlationData),
        userProperties,
        Arrays.hashCode(payload),
        contentType,
        expirySeconds);
  }

  @Override
  public String toString() {
    return "WireMessage[" + topic + ", " + userProperties + ", " + payload.length + " bytes]";
  }
}
