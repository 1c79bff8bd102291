package io.asyncrpc.mcp.tool;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A tool call's arguments, read with the checks the tool's JSON Schema promises. */
final class Arguments {

  private final Map<String, Object> values;

  Arguments(@Nullable Map<String, Object> values) {
    this.values = values == null ? Map.of() : values;
  }

  String string(String name) {
    String value = optionalString(name);
    if (value == null || value.isBlank()) {
      throw new ToolRefused(name + " is required");
    }
    return value;
  }

  @Nullable String optionalString(String name) {
    Object value = values.get(name);
    if (value == null || value instanceof String) {
      return (String) value;
    }
    throw new ToolRefused(name + " must be a string");
  }

  @Nullable Integer optionalInt(String name, int min, int max) {
    Object value = values.get(name);
    if (value == null) {
      return null;
    }
    if (!(value instanceof Number number) || !integral(number)) {
      throw new ToolRefused(name + " must be an integer");
    }
    long n = number.longValue();
    if (n < min || n > max) {
      throw new ToolRefused(name + " must be between " + min + " and " + max);
    }
    return (int) n;
  }

  @Nullable Boolean optionalBoolean(String name) {
    Object value = values.get(name);
    if (value == null || value instanceof Boolean) {
      return (Boolean) value;
    }
    throw new ToolRefused(name + " must be true or false");
  }

  /** A list of strings; a single string counts as a list of one. */
  List<String> strings(String name) {
    Object value = values.get(name);
    if (value == null) {
      return List.of();
    }
    if (value instanceof String s) {
      return List.of(s);
    }
    if (value instanceof List<?> list && list.stream().allMatch(String.class::isInstance)) {
      return list.stream().map(String.class::cast).toList();
    }
    throw new ToolRefused(name + " must be a list of strings");
  }

  /** A list of integers; a single integer counts as a list of one. */
  List<Long> integers(String name) {
    Object value = values.get(name);
    if (value == null) {
      return List.of();
    }
    List<?> list = value instanceof List<?> l ? l : List.of(value);
    if (!list.stream().allMatch(v -> v instanceof Number n && integral(n))) {
      throw new ToolRefused(name + " must be a list of integers");
    }
    return list.stream().map(v -> ((Number) v).longValue()).toList();
  }

  /** Any JSON value, as given. */
  @Nullable Object raw(String name) {
    return values.get(name);
  }

  /** A JSON object, or null when absent. */
  @SuppressWarnings("unchecked")
  @Nullable Map<String, Object> object(String name) {
    Object value = values.get(name);
    if (value == null || value instanceof Map<?, ?>) {
      return (Map<String, Object>) value;
    }
    throw new ToolRefused(name + " must be an object");
  }

  private static boolean integral(Number number) {
    if (number instanceof Double || number instanceof Float) {
      double d = number.doubleValue();
      return d == Math.rint(d) && !Double.isInfinite(d);
    }
    if (number instanceof BigDecimal decimal) {
      return decimal.stripTrailingZeros().scale() <= 0;
    }
    return true;
  }
}
