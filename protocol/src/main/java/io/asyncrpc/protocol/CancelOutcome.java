package io.asyncrpc.protocol;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What a v2 device did with a cancel ({@code cnl}), in the {@code cancel_outcome} user property of
 * its answer ({@code cna}).
 */
public enum CancelOutcome {
  /** The handler was running and has been stopped; no result follows. */
  STOPPED("stopped"),
  /** The handler had already finished (its result is sent or on its way); nothing was stopped. */
  FINISHED("finished"),
  /** The device does not hold the task (never got it, or forgot it); nothing was stopped. */
  UNKNOWN("unknown");

  private final String code;

  CancelOutcome(String code) {
    this.code = code;
  }

  /** The value on the wire, for example {@code stopped}. */
  public String code() {
    return code;
  }

  /** The outcome named {@code code}, or empty for a missing or unknown value. */
  public static Optional<CancelOutcome> of(@Nullable String code) {
    for (CancelOutcome outcome : values()) {
      if (outcome.code.equals(code == null ? null : code.strip())) {
        return Optional.of(outcome);
      }
    }
    return Optional.empty();
  }
}
