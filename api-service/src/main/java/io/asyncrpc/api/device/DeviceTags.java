package io.asyncrpc.api.device;

import io.asyncrpc.api.web.InvalidParameterException;
import io.asyncrpc.task.model.JsonbLimits;
import io.asyncrpc.web.ApiException;
import io.asyncrpc.web.FieldProblem;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;

/**
 * The rules of device tags, in one place: a key is 1 to 63 letters, digits, {@code _ . -} (no
 * {@code :}, which separates key and value in a selector), starting with a letter or digit; a value
 * is 1 to 128 characters of storable text; a device has at most 32.
 */
public final class DeviceTags {

  static final int MAX_TAGS = 32;
  static final int MAX_VALUE_LENGTH = 128;
  static final String KEY_PATTERN = "^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$";
  private static final Pattern KEY = Pattern.compile(KEY_PATTERN);

  private DeviceTags() {}

  /** The tags, checked, in key order; a bad one is a 400 problem naming {@code tags.<key>}. */
  static Map<String, String> checked(Map<String, String> tags) {
    if (tags.size() > MAX_TAGS) {
      throw invalid("tags", "must hold at most " + MAX_TAGS + " tags");
    }
    Map<String, String> sorted = new TreeMap<>();
    tags.forEach(
        (key, value) -> {
          checkKey(key, "tags");
          checkValue(key, value);
          sorted.put(key, value);
        });
    return sorted;
  }

  /** A {@code tag=key:value} selector of a listing; a bad one is a 400 problem. */
  public static Map.Entry<String, String> selector(String text) {
    int colon = text.indexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new InvalidParameterException("tag", "must be key:value");
    }
    String key = text.substring(0, colon);
    String value = text.substring(colon + 1);
    if (!KEY.matcher(key).matches()) {
      throw new InvalidParameterException("tag", "key must match " + KEY_PATTERN);
    }
    if (value.length() > MAX_VALUE_LENGTH || !JsonbLimits.isStorableText(value)) {
      throw new InvalidParameterException(
          "tag", "value must be 1 to " + MAX_VALUE_LENGTH + " characters without U+0000");
    }
    return Map.entry(key, value);
  }

  static void checkKey(String key, String field) {
    if (!KEY.matcher(key).matches()) {
      throw invalid(field, "key '" + shortened(key) + "' must match " + KEY_PATTERN);
    }
  }

  private static void checkValue(String key, String value) {
    if (value == null
        || value.isEmpty()
        || value.length() > MAX_VALUE_LENGTH
        || !JsonbLimits.isStorableText(value)) {
      throw invalid(
          "tags." + key, "must be 1 to " + MAX_VALUE_LENGTH + " characters without U+0000");
    }
  }

  private static String shortened(String key) {
    return key.length() > 70 ? key.substring(0, 70) + "..." : key;
  }

  /** A 400 validation problem naming the field, as the bean validation of a body answers. */
  static ApiException invalid(String field, String message) {
    return new ApiException(
        HttpStatus.BAD_REQUEST,
        "validation-failed",
        "Validation failed",
        "invalid request: '" + field + "' " + message,
        List.of(new FieldProblem(field, message)));
  }
}
