package io.asyncrpc.protocol;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The device protocol versions. v1 is the seed's wire contract and the default; v2 (push) is opt-in
 * per device: a device declares it with the user property {@code protocol=2} on its {@code req}
 * (and {@code res}), and the core records the declaration in the device registry.
 */
public enum ProtocolVersion {
  /** Trigger, request, response, result, commit: the seed's devices. */
  V1(1),
  /** The task is pushed with its payload; the commit carries the next task. */
  V2(2);

  private final int number;

  ProtocolVersion(int number) {
    this.number = number;
  }

  /** The number as stored in the registry and sent in the user property {@code protocol}. */
  public int number() {
    return number;
  }

  /** The version of {@code number}, empty for an unknown one. */
  public static Optional<ProtocolVersion> of(int number) {
    for (ProtocolVersion version : values()) {
      if (version.number == number) {
        return Optional.of(version);
      }
    }
    return Optional.empty();
  }

  /**
   * The version a message declares in its {@code protocol} user property: absent or unreadable is
   * v1, so a device that never heard of v2 is always v1.
   */
  public static ProtocolVersion declaredBy(@Nullable String property) {
    if (property == null) {
      return V1;
    }
    try {
      return of(Integer.parseInt(property.strip())).orElse(V1);
    } catch (NumberFormatException e) {
      return V1;
    }
  }
}
