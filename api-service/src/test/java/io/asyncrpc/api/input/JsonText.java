package io.asyncrpc.api.input;

import io.asyncrpc.task.model.JsonbLimits;
import io.asyncrpc.testsupport.property.Chars;
import io.asyncrpc.testsupport.property.Gen;
import io.asyncrpc.testsupport.property.Gens;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * JSON documents for property tests: generated as plain Java values (maps, lists, strings, numbers,
 * booleans, null), written as pure-ASCII JSON text (every other character as a {@code \}{@code u}
 * escape, so even unpaired surrogates travel as they are), and judged storable or not the way
 * PostgreSQL's {@code jsonb} would.
 */
final class JsonText {

  private JsonText() {}

  /** JSON text of a Java value built from maps, lists, strings, numbers, booleans and null. */
  static String write(Object value) {
    StringBuilder out = new StringBuilder();
    write(value, out);
    return out.toString();
  }

  private static void write(Object value, StringBuilder out) {
    switch (value) {
      case null -> out.append("null");
      case String s -> string(s, out);
      case Map<?, ?> map -> {
        out.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : map.entrySet()) {
          if (!first) {
            out.append(',');
          }
          first = false;
          string((String) e.getKey(), out);
          out.append(':');
          write(e.getValue(), out);
        }
        out.append('}');
      }
      case List<?> list -> {
        out.append('[');
        for (int i = 0; i < list.size(); i++) {
          if (i > 0) {
            out.append(',');
          }
          write(list.get(i), out);
        }
        out.append(']');
      }
      case Raw raw -> out.append(raw.text());
      default -> out.append(value); // numbers, booleans
    }
  }

  /** A JSON string literal, pure ASCII. */
  static String string(String s) {
    StringBuilder out = new StringBuilder();
    string(s, out);
    return out.toString();
  }

  private static void string(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20 || c > 0x7e) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    out.append('"');
  }

  /** Already written JSON text, placed as it is. */
  record Raw(String text) {}

  /** Whether {@code jsonb} can store the value as it is. */
  static boolean storable(Object value) {
    return switch (value) {
      case null -> true;
      case String s -> JsonbLimits.isStorableText(s);
      case BigDecimal d -> JsonbLimits.isStorableNumber(d);
      case Map<?, ?> map ->
          map.entrySet().stream().allMatch(e -> storable(e.getKey()) && storable(e.getValue()));
      case List<?> list -> list.stream().allMatch(JsonText::storable);
      default -> true;
    };
  }

  /** Any text, including control characters, U+0000 and unpaired surrogates. */
  static Gen<String> anyText(int maxLength) {
    return Gens.oneOf(
        Gens.strings(Chars.ANY, 0, maxLength),
        Gens.strings(Chars.ASCII, 0, maxLength),
        Gens.strings(Chars.ALPHANUMERIC.plus(Chars.of("-_.:/#+* ")), 0, maxLength));
  }

  /** Text PostgreSQL stores as it is (any Unicode, surrogates only in pairs, no U+0000). */
  static Gen<String> storableText(int minLength, int maxLength) {
    return Gens.oneOf(
            Gens.strings(STORABLE_CHARS, minLength, maxLength),
            Gens.strings(Chars.ASCII, minLength, maxLength),
            Gens.of("héllo wörld", "日本語テキスト", "emoji \ud83d\ude00 pair", "tab\tand\nnewline")
                .filter(s -> s.length() >= minLength && s.length() <= maxLength))
        .filter(JsonbLimits::isStorableText);
  }

  /** Every char but U+0000 and the surrogates, which PostgreSQL stores only in pairs. */
  private static final Chars STORABLE_CHARS =
      Chars.range('\u0001', '\ud7ff').plus(Chars.range('\ue000', '\uffff'));

  /** Numbers as JSON has them: integers of any size, decimals with any exponent. */
  static Gen<Object> numbers() {
    return Gens.oneOf(
        Gens.ints(),
        Gens.bigIntegers(BigInteger.TEN.pow(30).negate(), BigInteger.TEN.pow(30)),
        Gens.bigDecimals(new BigDecimal("-1e6"), new BigDecimal("1e6"), 6),
        Gens.of(
                "0.1",
                "-0",
                "-0.0",
                "1e400",
                "-1e-400",
                "1.7976931348623157e309",
                "123456789012345678901234567890.123456789",
                "1e999",
                "-1e-998")
            .map(BigDecimal::new));
  }

  /** Numbers too long to store and read back, though they are valid JSON. */
  static Gen<Object> unstorableNumbers() {
    return Gens.of("1e1000", "1e131071", "1e200000", "-1e999999", "1e-1000", "1.5e-16383")
        .map(BigDecimal::new);
  }

  /** Any JSON value up to {@code depth} levels of nesting; strings and keys storable. */
  static Gen<Object> values(int depth) {
    Gen<Object> leaves =
        Gens.frequency(
            Gens.weighted(1, Gens.just(null)),
            Gens.weighted(1, Gens.of(true, false)),
            Gens.weighted(3, numbers()),
            Gens.weighted(4, storableText(0, 40)));
    if (depth == 0) {
      return leaves;
    }
    Gen<Object> inner = values(depth - 1);
    return Gens.frequency(
        Gens.weighted(3, leaves),
        Gens.weighted(1, inner.list(0, 4)),
        Gens.weighted(2, Gens.maps(storableText(0, 12), inner, 4)));
  }

  /** A JSON value with one thing {@code jsonb} cannot store somewhere inside. */
  static Gen<Object> unstorableValues() {
    Gen<Object> bad =
        Gens.oneOf(
            unstorableNumbers(),
            Gens.of(
                "nul \u0000 inside", "\u0000", "lone \ud800 high", "lone \udc00 low", "\ud83d"));
    return Gens.oneOf(
        bad,
        bad.map(v -> (Object) List.of(1, v)),
        bad.map(v -> (Object) Map.of("key", v)),
        Gens.just(Map.of("key\u0000", 1)));
  }

  /**
   * An object whose member name is an unpaired surrogate: Jackson's UTF-8 parser refuses such a
   * name while reading, so it is malformed JSON to the API rather than an unstorable value.
   */
  static Gen<Object> unpairedSurrogateNames() {
    return Gens.of("\udfff", "\ud800x").map(k -> (Object) Map.of(k, 1));
  }
}
