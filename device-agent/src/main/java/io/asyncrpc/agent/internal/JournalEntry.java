package io.asyncrpc.agent.internal;

import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A finished task as the journal remembers it: its result, and whether the core committed it.
 *
 * @param taskId the task
 * @param statusCode the result's status code
 * @param externalId the task's external id, or {@code null}
 * @param result the result document as JSON text
 * @param committed whether the core stored the result ({@code cmt}) or refused it for good
 */
record JournalEntry(
    UUID taskId, int statusCode, @Nullable String externalId, String result, boolean committed) {

  JournalEntry asCommitted() {
    return committed ? this : new JournalEntry(taskId, statusCode, externalId, result, true);
  }

  JournalEntry asPending() {
    return committed ? new JournalEntry(taskId, statusCode, externalId, result, false) : this;
  }
}
