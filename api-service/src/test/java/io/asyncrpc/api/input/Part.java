package io.asyncrpc.api.input;

import java.util.List;
import java.util.Optional;

/**
 * One field of a generated JSON body: its JSON text (empty: the field is absent) and what the API
 * must make of it.
 *
 * @param json the field's value as JSON text, or empty when the field is left out
 * @param verdict how the API must judge it
 * @param value the Java value written as {@code json}, for checking what was stored
 */
record Part(Optional<String> json, Verdict verdict, Object value) {

  static Part absent(Verdict verdict) {
    return new Part(Optional.empty(), verdict, null);
  }

  static Part of(Object value, Verdict verdict) {
    return new Part(Optional.of(JsonText.write(value)), verdict, value);
  }

  static Part raw(String json, Verdict verdict) {
    return new Part(Optional.of(json), verdict, null);
  }

  /** A JSON object of the named parts that are present, in order. */
  static String object(List<String> names, List<Part> parts) {
    StringBuilder out = new StringBuilder("{");
    for (int i = 0; i < names.size(); i++) {
      Optional<String> json = parts.get(i).json();
      if (json.isPresent()) {
        if (out.length() > 1) {
          out.append(',');
        }
        out.append(JsonText.string(names.get(i))).append(':').append(json.get());
      }
    }
    return out.append('}').toString();
  }
}
