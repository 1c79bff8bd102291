package io.asyncrpc.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Task ids as they travel in MQTT 5 correlation data.
 *
 * <p>The core sends the 36-character text form (what the seed's devices send and expect); it
 * accepts both the text form and 16 raw bytes.
 */
public final class TaskIds {

  /** The zero UUID: a request for the head of the device's FIFO. */
  public static final UUID ZERO = new UUID(0L, 0L);

  private TaskIds() {}

  /** Decodes correlation data: 16 raw bytes, or the 36-character UUID text. */
  public static Optional<UUID> fromCorrelationData(byte[] data) {
    if (data == null) {
      return Optional.empty();
    }
    if (data.length == 16) {
      ByteBuffer buffer = ByteBuffer.wrap(data);
      return Optional.of(new UUID(buffer.getLong(), buffer.getLong()));
    }
    if (data.length == 36) {
      return fromText(new String(data, StandardCharsets.US_ASCII));
    }
    return Optional.empty();
  }

  /** Parses the canonical 36-character text form; empty for anything else. */
  public static Optional<UUID> fromText(@Nullable String text) {
    if (text == null || text.length() != 36) {
      return Optional.empty();
    }
    try {
      UUID id = UUID.fromString(text);
      // UUID.fromString accepts non-canonical forms; insist on the canonical one.
      return id.toString().equalsIgnoreCase(text) ? Optional.of(id) : Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** The correlation data the core sends: the UUID's text, UTF-8 encoded. */
  public static byte[] toCorrelationData(UUID id) {
    return id.toString().getBytes(StandardCharsets.US_ASCII);
  }

  /** The 16 raw bytes of a UUID, the compact form devices may send. */
  public static byte[] toRawBytes(UUID id) {
    return ByteBuffer.allocate(16)
        .putLong(id.getMostSignificantBits())
        .putLong(id.getLeastSignificantBits())
        .array();
  }
}
