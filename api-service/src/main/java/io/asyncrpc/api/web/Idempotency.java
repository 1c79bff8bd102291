package io.asyncrpc.api.web;

import java.net.URI;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

/**
 * The {@code Idempotency-Key} of a create request and the answer to it, alike for tasks and jobs: a
 * retry with the key gets what the first request created, marked {@code Idempotent-Replayed}.
 */
public final class Idempotency {

  public static final String KEY = "Idempotency-Key";
  public static final String REPLAYED = "Idempotent-Replayed";
  public static final int MAX_KEY_LENGTH = 128;

  private Idempotency() {}

  /** The key as sent, or null without one; a blank or too long key is a 400. */
  public static @Nullable String checked(@Nullable String key) {
    if (key != null && (key.isBlank() || key.length() > MAX_KEY_LENGTH)) {
      throw new InvalidParameterException(KEY, "must be 1 to " + MAX_KEY_LENGTH + " characters");
    }
    return key;
  }

  /** The answer to a create: {@code status}, the resource's Location, and the replay mark. */
  public static <T> ResponseEntity<T> answer(
      HttpStatus status, String location, boolean replayed, T body) {
    ResponseEntity.BodyBuilder response =
        ResponseEntity.status(status).location(URI.create(location));
    if (replayed) {
      response.header(REPLAYED, "true");
    }
    return response.body(body);
  }
}
