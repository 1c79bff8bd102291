package io.asyncrpc.task.model;

import java.math.BigDecimal;

/**
 * What PostgreSQL can store in {@code text} and {@code jsonb} columns, checked before a write so
 * that a client's or a device's value is refused as bad input instead of failing the statement.
 *
 * <p>Well-formed JSON can still be unstorable: {@code jsonb} refuses the escape {@code \u0000} and
 * unpaired surrogates ({@code "\ud800"}), and its numbers are {@code numeric}, which PostgreSQL
 * gives back in plain notation: {@code 1e300} is stored, but read back as a 1 and 300 zeros. The
 * services read stored documents with Jackson, which refuses numbers longer than {@value
 * #MAX_NUMBER_DIGITS} digits, so that is the limit for a number: digits before and after the point,
 * as PostgreSQL would print it (well inside {@code numeric}'s own 131072 and 16383).
 */
public final class JsonbLimits {

  /** Most digits of a stored number written out plainly (Jackson's default read limit). */
  public static final int MAX_NUMBER_DIGITS = 1_000;

  private JsonbLimits() {}

  /** Whether PostgreSQL stores {@code text} as it is: no U+0000, no unpaired surrogate. */
  public static boolean isStorableText(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\u0000') {
        return false;
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 1 == text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
          return false;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether a JSON number, written out plainly as PostgreSQL gives it back, has at most {@value
   * #MAX_NUMBER_DIGITS} digits.
   */
  public static boolean isStorableNumber(BigDecimal number) {
    long scale = number.scale();
    long integerDigits = Math.max(1, (long) number.precision() - scale);
    long fractionDigits = Math.max(0, scale);
    return integerDigits + fractionDigits <= MAX_NUMBER_DIGITS;
  }
}
