package io.asyncrpc.api.outbox;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Repository;

/**
 * The SQL of the outbox, written out: append events, lock a batch for the relay, delete what the
 * broker confirmed.
 */
@Repository
class OutboxStore {

  private static final int MAX_ERROR_LENGTH = 500;

  private final JdbcClient jdbc;

  OutboxStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Inserts the events (their {@code id} is ignored) in one statement and returns them with the ids
   * of their rows, in the same order. Call in a transaction.
   */
  List<PendingEvent> insertAll(List<PendingEvent> events) {
    Map<UUID, Long> ids = new HashMap<>();
    jdbc.sql(
            """
            INSERT INTO outbox (aggregate_id, event_type, routing_key, payload)
            SELECT e.aggregate_id::uuid, e.event_type, e.routing_key, e.payload::jsonb
            FROM unnest(:aggregateIds, :eventTypes, :routingKeys, :payloads)
                 AS e (aggregate_id, event_type, routing_key, payload)
            RETURNING id, aggregate_id
            """)
        .param("aggregateIds", texts(events, e -> e.aggregateId().toString()))
        .param("eventTypes", texts(events, PendingEvent::eventType))
        .param("routingKeys", texts(events, PendingEvent::routingKey))
        .param("payloads", texts(events, PendingEvent::payload))
        .query(
            (RowCallbackHandler)
                rs -> ids.put(rs.getObject("aggregate_id", UUID.class), rs.getLong("id")));
    return events.stream()
        .map(
            e ->
                new PendingEvent(
                    Objects.requireNonNull(
                        ids.get(e.aggregateId()), "RETURNING names every inserted event"),
                    e.aggregateId(),
                    e.eventType(),
                    e.routingKey(),
                    e.payload()))
        .toList();
  }

  /**
   * Locks up to {@code limit} rows older than {@code grace}, oldest first, skipping rows another
   * relay holds: any number of api-service instances can relay side by side. Call in a transaction.
   */
  List<PendingEvent> lockBatch(Duration grace, int limit) {
    return jdbc.sql(
            """
            SELECT id, aggregate_id, event_type, routing_key, payload::text AS payload
            FROM outbox
            WHERE created_at < now() - make_interval(secs => :graceSeconds)
            ORDER BY created_at, id
            LIMIT :limit
            FOR UPDATE SKIP LOCKED
            """)
        .param("graceSeconds", grace.toMillis() / 1000.0)
        .param("limit", limit)
        .query(
            (rs, n) ->
                new PendingEvent(
                    rs.getLong("id"),
                    rs.getObject("aggregate_id", UUID.class),
                    rs.getString("event_type"),
                    rs.getString("routing_key"),
                    rs.getString("payload")))
        .list();
  }

  /** Deletes the rows {@code ids}, in one statement whatever their number. */
  void deleteAll(List<Long> ids) {
    // One array parameter keeps the statement text, and so its prepared form, the same.
    jdbc.sql("DELETE FROM outbox WHERE id = ANY(CAST(:ids AS bigint[]))")
        .param("ids", ids.stream().map(String::valueOf).collect(Collectors.joining(",", "{", "}")))
        .update();
  }

  private static SqlArrayValue texts(
      List<PendingEvent> events, Function<PendingEvent, String> value) {
    return new SqlArrayValue("text", events.stream().map(value).toArray());
  }

  void recordFailure(long id, String error) {
    jdbc.sql("UPDATE outbox SET attempts = attempts + 1, last_error = :error WHERE id = :id")
        .param("id", id)
        .param(
            "error",
            error.length() > MAX_ERROR_LENGTH ? error.substring(0, MAX_ERROR_LENGTH) : error)
        .update();
  }
}
