package io.asyncrpc.api.task;

import java.util.OptionalInt;

/**
 * The {@code wait} preference of a {@code Prefer} header (RFC 7240 §4.3). A header may hold several
 * preferences ({@code respond-async, wait=10}), each with parameters after {@code ;}; one this
 * server cannot read is ignored, as the RFC asks, rather than refused.
 */
final class PreferWait {

  private PreferWait() {}

  /** The seconds asked for, at most {@code max}; empty when the header asks for no wait. */
  static OptionalInt seconds(String header, int max) {
    for (String preference : header.split(",")) {
      String token = preference.split(";", 2)[0].strip();
      int equals = token.indexOf('=');
      if (equals > 0 && token.substring(0, equals).strip().equalsIgnoreCase("wait")) {
        String value = token.substring(equals + 1).strip();
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
          value = value.substring(1, value.length() - 1);
        }
        if (!value.isEmpty() && value.length() <= 9 && value.chars().allMatch(Character::isDigit)) {
          int seconds = Integer.parseInt(value);
          return seconds == 0 ? OptionalInt.empty() : OptionalInt.of(Math.min(seconds, max));
        }
      }
    }
    return OptionalInt.empty();
  }
}
