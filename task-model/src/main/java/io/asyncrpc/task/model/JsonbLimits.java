package io.asyncrpc.task.model;

import java.math.BigDecimal;

/**
 * What PostgreSQL can store in {@code text} and {@code jsonb} columns, checked before a write so
 * that a client's or a device's value is refused as bad input instead of failing the statement.
 *
 * <p>Well-formed JSON can still be unstorable: {@code jsonb} refuses the escape {@code \u0000} and
 * unpaired surrogates ({@code "\ud800"}), and its numbers are {@code numeric}, which holds at most
 * 131072 digits before the decimal point and 16383 after ({@code 1e200000} is valid JSON).
 */
public final class JsonbLimits {

  /** Most digits of a {@code numeric} before the decimal point. */
  public static final int MAX_INTEGER_DIGITS = 131_072;

  /** Most digits of a {@code numeric} after the decimal point. */
  public static final int MAX_FRACTION_DIGITS = 16_383;

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

  /** Whether a JSON number fits PostgreSQL's {@code numeric}. */
  public static boolean isStorableNumber(BigDecimal number) {
    int scale = number.scale();
    long integerDigits = (long) number.precision() - scale;
    return scale <= MAX_FRACTION_DIGITS && integerDigits <= MAX_INTEGER_DIGITS;
  }
}
