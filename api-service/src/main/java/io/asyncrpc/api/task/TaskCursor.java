package io.asyncrpc.api.task;

import io.asyncrpc.api.web.Cursor;
import io.asyncrpc.api.web.InvalidParameterException;
import java.time.Instant;
import java.util.UUID;

/**
 * A decoded paging position in the task listing.
 *
 * @param createdAt creation instant of the last task of the previous page
 * @param id id of that task
 */
record TaskCursor(Instant createdAt, UUID id) {

  static TaskCursor decode(String text) {
    Cursor cursor = Cursor.decode(text);
    try {
      return new TaskCursor(cursor.createdAt(), UUID.fromString(cursor.id()));
    } catch (IllegalArgumentException e) {
      throw new InvalidParameterException("cursor", "is not a cursor returned by this API");
    }
  }
}
