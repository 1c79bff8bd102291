package io.asyncrpc.core.southbound;

import io.asyncrpc.core.ProtocolJson;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import tools.jackson.core.JacksonException;

/**
 * The result document of a {@code res}: one JSON document, or no document at all.
 *
 * <p>An empty payload (or only whitespace) is accepted as "no result document" and stored as SQL
 * NULL: simple devices report a bare failure such as {@code status_code=500} without a body. Any
 * other payload must be one well-formed JSON value in UTF-8 (objects, arrays and scalars alike);
 * PostgreSQL's {@code jsonb} cannot hold the character U+0000, so a document containing it is
 * refused too.
 *
 * @param json the document's text, or null for none
 */
record ResultDocument(String json) {

  static final ResultDocument NONE = new ResultDocument(null);

  /** The document of {@code body}, or empty when it is not valid JSON. */
  static Optional<ResultDocument> parse(byte[] body, ProtocolJson protocolJson) {
    if (isBlank(body)) {
      return Optional.of(NONE);
    }
    try {
      protocolJson.read(body);
    } catch (JacksonException e) {
      return Optional.empty();
    }
    String text = new String(body, StandardCharsets.UTF_8);
    return text.contains("\\u0000") ? Optional.empty() : Optional.of(new ResultDocument(text));
  }

  private static boolean isBlank(byte[] body) {
    for (byte b : body) {
      if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
        return false;
      }
    }
    return true;
  }
}
