package io.asyncrpc.protocol;

import java.time.DateTimeException;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A device event as {@code dev/<SN>/evt} carries it (the seed's wire contract): user properties
 * {@code event_type_code}, {@code dev_event_id} and {@code dev_timestamp}, optional correlation
 * data, and a JSON payload of numbered tags ({@code 101} id, {@code 102} time, {@code 200} type,
 * {@code 300} list of parameters), stored as it came.
 *
 * @param typeCode the event's type; 0 is stored and not answered
 * @param deviceEventId the device's own id of the event; 0 is stored and not answered
 * @param deviceTimestamp when it happened on the device
 */
public record DeviceEvent(long typeCode, long deviceEventId, Instant deviceTimestamp) {

  /** Whether the core answers it on {@code eva}: not for type 0 or id 0, as the seed's system. */
  public boolean isAnswered() {
    return typeCode != 0 && deviceEventId != 0;
  }

  /**
   * Reads the three user properties; empty when one is missing or malformed.
   *
   * @param typeCode {@code event_type_code}, an integer
   * @param deviceEventId {@code dev_event_id}, an integer
   * @param deviceTimestamp {@code dev_timestamp}: epoch seconds (decimals allowed) or ISO-8601
   */
  public static Optional<DeviceEvent> parse(
      @Nullable String typeCode, @Nullable String deviceEventId, @Nullable String deviceTimestamp) {
    Optional<Long> type = integer(typeCode);
    Optional<Long> id = integer(deviceEventId);
    Optional<Instant> at = timestamp(deviceTimestamp);
    if (type.isEmpty() || id.isEmpty() || at.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new DeviceEvent(type.get(), id.get(), at.get()));
  }

  /** {@code dev_timestamp}: epoch seconds (decimals allowed) or an ISO-8601 instant. */
  public static Optional<Instant> timestamp(@Nullable String text) {
    if (text == null || text.isBlank() || text.length() > 40) {
      return Optional.empty();
    }
    String value = text.strip();
    try {
      if (value.chars().allMatch(c -> Character.isDigit(c) || c == '.')) {
        java.math.BigDecimal seconds = new java.math.BigDecimal(value);
        long whole = seconds.longValue();
        long nanos =
            seconds.subtract(java.math.BigDecimal.valueOf(whole)).movePointRight(9).longValue();
        return Optional.of(Instant.ofEpochSecond(whole, nanos)).filter(DeviceEvent::plausible);
      }
      return Optional.of(Instant.parse(value)).filter(DeviceEvent::plausible);
    } catch (NumberFormatException | DateTimeException | ArithmeticException e) {
      return Optional.empty();
    }
  }

  // PostgreSQL's timestamptz spans 4713 BC to 294276 AD; a device clock outside years 1970-9999 is
  // a fault, not a time.
  private static boolean plausible(Instant instant) {
    return !instant.isBefore(Instant.EPOCH)
        && instant.isBefore(Instant.parse("9999-12-31T23:59:59Z"));
  }

  private static Optional<Long> integer(@Nullable String text) {
    if (text == null || text.isBlank() || text.length() > 19) {
      return Optional.empty();
    }
    try {
      long value = Long.parseLong(text.strip());
      return value < 0 ? Optional.empty() : Optional.of(value);
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
