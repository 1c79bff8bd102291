package io.asyncrpc.api.web;

import io.asyncrpc.web.ApiException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;

/**
 * An opaque paging position, newest first: the {@code created_at} and id of the last item of a
 * page. Clients get it as base64url text and must not parse it.
 *
 * @param createdAt creation instant of the last item returned, in microseconds like the database
 * @param id id of the last item returned
 */
public record Cursor(Instant createdAt, String id) {

  private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
  private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

  /** The cursor as the client sees it. */
  public String encode() {
    long micros = ChronoUnit.MICROS.between(Instant.EPOCH, createdAt);
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((micros + ":" + id).getBytes(StandardCharsets.UTF_8));
  }

  /** Decodes a cursor received from a client; a malformed one is a 400 problem. */
  public static Cursor decode(String text) {
    try {
      String raw = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
      int colon = raw.indexOf(':');
      if (colon <= 0 || colon == raw.length() - 1) {
        throw invalid();
      }
      long micros = Long.parseLong(raw.substring(0, colon));
      Instant createdAt = Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
      // Every cursor this API hands out lies in this range; beyond it PostgreSQL's timestamp ends.
      if (createdAt.isBefore(EARLIEST) || createdAt.isAfter(LATEST)) {
        throw invalid();
      }
      return new Cursor(createdAt, raw.substring(colon + 1));
    } catch (IllegalArgumentException | ArithmeticException | java.time.DateTimeException e) {
      throw invalid();
    }
  }

  private static ApiException invalid() {
    return new InvalidParameterException("cursor", "is not a cursor returned by this API");
  }
}
