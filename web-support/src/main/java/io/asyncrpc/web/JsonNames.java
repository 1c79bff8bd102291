package io.asyncrpc.web;

/** The JSON spelling (snake_case) of Java property names, for error messages. */
final class JsonNames {

  private JsonNames() {}

  static String snake(String javaName) {
    StringBuilder out = new StringBuilder(javaName.length() + 4);
    for (char c : javaName.toCharArray()) {
      if (Character.isUpperCase(c)) {
        out.append('_').append(Character.toLowerCase(c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
