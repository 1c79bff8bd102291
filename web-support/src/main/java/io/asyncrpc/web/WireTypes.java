package io.asyncrpc.web;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.lang.reflect.Field;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.Collection;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.util.ClassUtils;
import tools.jackson.databind.JsonNode;

/**
 * What a field or parameter must be, in the API's words: JSON types and ranges, never a Java class
 * name ({@code int}, {@code CreateTaskRequest}) that a client cannot know.
 */
final class WireTypes {

  private static final boolean VALIDATION_PRESENT =
      ClassUtils.isPresent("jakarta.validation.constraints.Min", WireTypes.class.getClassLoader());

  private WireTypes() {}

  /** {@code "an integer"}, {@code "a string"}, {@code "one of A, B"}, {@code "a JSON object"}. */
  static String describe(@Nullable Class<?> type) {
    return describe(type, null, false);
  }

  /**
   * As {@link #describe(Class)}, with the range the field of {@code owner} named {@code jsonName}
   * declares ({@code @Min}, {@code @Max}); {@code outOfRange}: the value did not fit the type, so
   * say the type's own range when the field declares none.
   */
  static String describe(@Nullable Class<?> type, @Nullable Field field, boolean outOfRange) {
    if (type == null) {
      return "a value of another type";
    }
    Class<?> t = ClassUtils.resolvePrimitiveIfNecessary(type);
    if (t == Integer.class || t == Long.class || t == Short.class || t == Byte.class) {
      Range range = field == null ? null : Range.of(field);
      if (range == null && outOfRange) {
        range = Range.of(t);
      }
      return "an integer" + (range == null ? "" : " " + range);
    }
    if (t == BigInteger.class) {
      return "an integer";
    }
    if (t == Double.class || t == Float.class || t == BigDecimal.class) {
      Range range = field == null ? null : Range.of(field);
      return "a number" + (range == null ? "" : " " + range);
    }
    if (t == String.class || t == Character.class || CharSequence.class.isAssignableFrom(t)) {
      return "a string";
    }
    if (t == Boolean.class) {
      return "true or false";
    }
    if (t == UUID.class) {
      return "a UUID";
    }
    if (t == Instant.class || t == OffsetDateTime.class || t == ZonedDateTime.class) {
      return "a timestamp such as 2026-01-31T12:00:00Z";
    }
    if (t == LocalDate.class) {
      return "a date such as 2026-01-31";
    }
    if (t == Duration.class) {
      return "a duration such as PT30S";
    }
    if (t.isEnum()) {
      return "one of "
          + Arrays.stream(t.getEnumConstants())
              .map(Object::toString)
              .collect(Collectors.joining(", "));
    }
    if (t.isArray() || Collection.class.isAssignableFrom(t)) {
      return "an array";
    }
    if (t == Object.class || JsonNode.class.isAssignableFrom(t)) {
      return "a JSON value";
    }
    return "a JSON object";
  }

  /** The field of {@code owner} that JSON names {@code jsonName} (snake_case), if there is one. */
  static @Nullable Field field(@Nullable Class<?> owner, @Nullable String jsonName) {
    if (owner == null || jsonName == null) {
      return null;
    }
    for (Field field : owner.getDeclaredFields()) {
      if (jsonName.equals(field.getName()) || jsonName.equals(JsonNames.snake(field.getName()))) {
        return field;
      }
    }
    return null;
  }

  /** {@code between 0 and 9}, {@code at least 1}, {@code at most 10}. */
  private record Range(@Nullable String min, @Nullable String max) {

    static @Nullable Range of(Class<?> integerType) {
      if (integerType == Integer.class) {
        return new Range(String.valueOf(Integer.MIN_VALUE), String.valueOf(Integer.MAX_VALUE));
      }
      if (integerType == Long.class) {
        return new Range(String.valueOf(Long.MIN_VALUE), String.valueOf(Long.MAX_VALUE));
      }
      if (integerType == Short.class) {
        return new Range(String.valueOf(Short.MIN_VALUE), String.valueOf(Short.MAX_VALUE));
      }
      return new Range(String.valueOf(Byte.MIN_VALUE), String.valueOf(Byte.MAX_VALUE));
    }

    /** The bounds Bean Validation declares on the field; none when it is not on the classpath. */
    static @Nullable Range of(Field field) {
      if (!VALIDATION_PRESENT) {
        return null;
      }
      String min = null;
      String max = null;
      if (field.getAnnotation(Min.class) instanceof Min m) {
        min = String.valueOf(m.value());
      } else if (field.getAnnotation(DecimalMin.class) instanceof DecimalMin m) {
        min = m.value();
      }
      if (field.getAnnotation(Max.class) instanceof Max m) {
        max = String.valueOf(m.value());
      } else if (field.getAnnotation(DecimalMax.class) instanceof DecimalMax m) {
        max = m.value();
      }
      return min == null && max == null ? null : new Range(min, max);
    }

    @Override
    public String toString() {
      if (min != null && max != null) {
        return "between " + min + " and " + max;
      }
      return min != null ? "of at least " + min : "of at most " + max;
    }
  }
}
