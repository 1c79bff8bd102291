package io.asyncrpc.protocol;

import java.util.regex.Pattern;

/**
 * A device's identity: its certificate CN, its MQTT client id and the middle segment of its topics.
 *
 * <p>No {@code .}, {@code /}, {@code #}, {@code +} or {@code *} is allowed, because MQTT topics
 * become AMQP routing keys and these characters would let one device reach another's topics.
 *
 * @param value the device id, {@code [A-Za-z0-9_-]{1,64}}
 */
public record DeviceId(String value) {

  /** The allowed form of a device id. */
  public static final String PATTERN = "^[A-Za-z0-9_-]{1,64}$";

  private static final Pattern VALID = Pattern.compile(PATTERN);

  public DeviceId {
    if (!isValid(value)) {
      throw new IllegalArgumentException(
          "device id must match " + PATTERN + " but was '" + abbreviate(value) + "'");
    }
  }

  /** Whether {@code value} is a well-formed device id. */
  public static boolean isValid(String value) {
    return value != null && VALID.matcher(value).matches();
  }

  @Override
  public String toString() {
    return value;
  }

  private static String abbreviate(String value) {
    if (value == null) {
      return "null";
    }
    return value.length() > 70 ? value.substring(0, 70) + "..." : value;
  }
}
