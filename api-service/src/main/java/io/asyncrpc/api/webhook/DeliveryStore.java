package io.asyncrpc.api.webhook;

import static io.asyncrpc.api.webhook.WebhookStore.utc;

import io.asyncrpc.api.event.EventPosition;
import io.asyncrpc.api.web.Cursor;
import io.asyncrpc.task.model.Timestamps;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The deliveries and their attempts: fan-out inserts, the senders' claims, the API's reads. */
@Repository
class DeliveryStore {

  /**
   * A delivery the fan-out creates.
   *
   * @param id its id (the {@code webhook-id})
   * @param endpointId the endpoint it goes to
   * @param eventType the event's wire name
   * @param position the event's position in the log
   * @param eventAt when the event happened
   * @param body the JSON body every attempt sends
   */
  record NewDelivery(
      UUID id,
      UUID endpointId,
      String eventType,
      EventPosition position,
      Instant eventAt,
      String body) {}

  /**
   * A delivery a sender claimed, with what it needs to post it.
   *
   * @param id the delivery's id
   * @param claim the claim's id: only its holder records the outcome
   * @param endpointId the endpoint's id
   * @param url the endpoint's URL
   * @param body the body to send
   * @param attempts attempts made before this one
   * @param manual whether this attempt was asked for through the API
   * @param eventType the event's wire name
   * @param eventAt when the event happened (for the latency metric)
   * @param secrets the secrets that sign now
   */
  record Claimed(
      UUID id,
      UUID claim,
      UUID endpointId,
      String url,
      String body,
      int attempts,
      boolean manual,
      String eventType,
      Instant eventAt,
      List<String> secrets) {}

  private static final OffsetDateTime END = OffsetDateTime.parse("9999-12-31T23:59:59Z");

  private static final String VIEW_COLUMNS =
      "id, event_type, event_tx, event_id, status, created_at, next_attempt_at, finished_at,"
          + " (SELECT status_code FROM webhook_attempts a WHERE a.delivery_id = d.id"
          + " ORDER BY attempt DESC LIMIT 1) AS last_status_code";

  private final JdbcClient jdbc;

  DeliveryStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Inserts the deliveries in one statement; one the fan-out already made is left as it is. */
  void insertAll(List<NewDelivery> deliveries) {
    if (deliveries.isEmpty()) {
      return;
    }
    int n = deliveries.size();
    String[] ids = new String[n];
    String[] endpoints = new String[n];
    String[] types = new String[n];
    Long[] txs = new Long[n];
    Long[] eventIds = new Long[n];
    String[] ats = new String[n];
    String[] bodies = new String[n];
    for (int i = 0; i < n; i++) {
      NewDelivery d = deliveries.get(i);
      ids[i] = d.id().toString();
      endpoints[i] = d.endpointId().toString();
      types[i] = d.eventType();
      txs[i] = d.position().tx();
      eventIds[i] = d.position().id();
      ats[i] = d.eventAt().toString();
      bodies[i] = d.body();
    }
    jdbc.sql(
            """
            INSERT INTO webhook_deliveries (id, endpoint_id, event_type, event_tx, event_id,
                                            event_at, body, status, next_attempt_at)
            SELECT u.id::uuid, u.endpoint::uuid, u.type, u.tx, u.event, u.at::timestamptz, u.body,
                   'pending', now()
              FROM unnest(CAST(:ids AS text[]), CAST(:endpoints AS text[]), CAST(:types AS text[]),
                          CAST(:txs AS bigint[]), CAST(:events AS bigint[]), CAST(:ats AS text[]),
                          CAST(:bodies AS text[]))
                   AS u(id, endpoint, type, tx, event, at, body)
            ON CONFLICT (endpoint_id, event_tx, event_id) DO NOTHING
            """)
        .param("ids", ids)
        .param("endpoints", endpoints)
        .param("types", types)
        .param("txs", txs)
        .param("events", eventIds)
        .param("ats", ats)
        .param("bodies", bodies)
        .update();
  }

  /**
   * Claims up to {@code limit} due deliveries of enabled endpoints: each becomes due again at the
   * lease's end, so a claim whose sender died is taken again then, by any instance.
   */
  List<Claimed> claim(int limit, Duration lease) {
    UUID claim = UUID.randomUUID();
    return jdbc.sql(
            """
            WITH due AS MATERIALIZED (
                SELECT due.id FROM webhook_deliveries due
                  JOIN webhook_endpoints e ON e.id = due.endpoint_id AND e.enabled
                 WHERE due.status = 'pending' AND due.next_attempt_at <= now()
                 ORDER BY due.next_attempt_at
                 LIMIT :limit
                   FOR UPDATE OF due SKIP LOCKED)
            UPDATE webhook_deliveries d
               SET next_attempt_at = now() + CAST(:lease AS interval), claim = :claim
              FROM due, webhook_endpoints w
             WHERE d.id = due.id AND w.id = d.endpoint_id
            RETURNING d.id, d.endpoint_id, w.url, d.body, d.attempts, d.manual, d.event_type,
                      d.event_at, w.secret,
                      CASE WHEN w.previous_expires_at > now() THEN w.previous_secret END
                          AS previous_secret
            """)
        .param("lease", lease.toMillis() + " milliseconds")
        .param("claim", claim)
        .param("limit", limit)
        .query(
            (rs, row) -> {
              List<String> secrets = new ArrayList<>(2);
              secrets.add(rs.getString("secret"));
              String previous = rs.getString("previous_secret");
              if (previous != null) {
                secrets.add(previous);
              }
              return new Claimed(
                  rs.getObject("id", UUID.class),
                  claim,
                  rs.getObject("endpoint_id", UUID.class),
                  rs.getString("url"),
                  rs.getString("body"),
                  rs.getInt("attempts"),
                  rs.getBoolean("manual"),
                  rs.getString("event_type"),
                  Timestamps.required(rs, "event_at"),
                  List.copyOf(secrets));
            })
        .list();
  }

  /**
   * Records an attempt of a claimed delivery and what follows it: still pending (due at {@code
   * nextAttemptAt}), succeeded or failed. False when the claim is no longer the delivery's (its
   * lease ended and another claim took it): then nothing is recorded.
   */
  boolean recordAttempt(
      Claimed claimed,
      String status,
      @Nullable Instant nextAttemptAt,
      Instant at,
      @Nullable Integer statusCode,
      long durationMs,
      @Nullable String error) {
    boolean finished = !status.equals("pending");
    return jdbc.sql(
                """
                WITH d AS (
                  UPDATE webhook_deliveries
                     SET attempts = attempts + 1, status = :status, next_attempt_at = :next,
                         finished_at = CASE WHEN :finished THEN now() END, claim = NULL
                   WHERE id = :id AND claim = :claim
                  RETURNING id, attempts
                )
                INSERT INTO webhook_attempts (delivery_id, attempt, at, status_code, duration_ms,
                                              error)
                SELECT id, attempts, :at, :code, :ms, :error FROM d
                """)
            .param("status", status)
            .param(
                "next",
                nextAttemptAt == null ? null : utc(nextAttemptAt),
                Types.TIMESTAMP_WITH_TIMEZONE)
            .param("finished", finished)
            .param("id", claimed.id())
            .param("claim", claimed.claim())
            .param("at", utc(at))
            .param("code", statusCode, Types.INTEGER)
            .param("ms", durationMs)
            .param("error", error, Types.VARCHAR)
            .update()
        == 1;
  }

  /** An endpoint's deliveries, newest first, after {@code cursor}, with their attempts. */
  List<DeliveryView> page(UUID endpointId, @Nullable Cursor cursor, int limit) {
    List<DeliveryView> rows =
        jdbc.sql(
                "SELECT "
                    + VIEW_COLUMNS
                    + """
                     FROM webhook_deliveries d
                     WHERE endpoint_id = :endpoint
                       AND (created_at, id) < (:at, CAST(:id AS uuid))
                     ORDER BY created_at DESC, id DESC
                     LIMIT :limit
                    """)
            .param("endpoint", endpointId)
            .param("at", cursor == null ? END : utc(cursor.createdAt()))
            .param("id", cursor == null ? "ffffffff-ffff-ffff-ffff-ffffffffffff" : cursor.id())
            .param("limit", limit)
            .query(DeliveryStore::withoutAttempts)
            .list();
    return withAttempts(rows);
  }

  Optional<DeliveryView> find(UUID endpointId, UUID id) {
    List<DeliveryView> rows =
        jdbc.sql(
                "SELECT "
                    + VIEW_COLUMNS
                    + " FROM webhook_deliveries d WHERE endpoint_id = :endpoint AND id = :id")
            .param("endpoint", endpointId)
            .param("id", id)
            .query(DeliveryStore::withoutAttempts)
            .list();
    return withAttempts(rows).stream().findFirst();
  }

  /**
   * Makes a delivery due now. A finished one gets one more attempt (no automatic retries after it);
   * a pending one keeps its schedule, and one being sent is left to its attempt.
   */
  boolean retryNow(UUID endpointId, UUID id) {
    return jdbc.sql(
                """
                UPDATE webhook_deliveries
                   SET manual = CASE WHEN status <> 'pending' THEN true ELSE manual END,
                       status = 'pending', finished_at = NULL,
                       next_attempt_at = CASE WHEN claim IS NULL THEN now() ELSE next_attempt_at END
                 WHERE endpoint_id = :endpoint AND id = :id
                """)
            .param("endpoint", endpointId)
            .param("id", id)
            .update()
        == 1;
  }

  /** Deletes up to {@code batch} deliveries finished more than {@code retention} ago. */
  int deleteFinished(Duration retention, int batch) {
    return jdbc.sql(
            """
            DELETE FROM webhook_deliveries WHERE id IN (
              SELECT id FROM webhook_deliveries
               WHERE status <> 'pending' AND finished_at < now() - CAST(:retention AS interval)
               ORDER BY finished_at
               LIMIT :batch)
            """)
        .param("retention", retention.toMillis() + " milliseconds")
        .param("batch", batch)
        .update();
  }

  private List<DeliveryView> withAttempts(List<DeliveryView> rows) {
    if (rows.isEmpty()) {
      return rows;
    }
    Map<UUID, List<DeliveryView.Attempt>> attempts = new LinkedHashMap<>();
    rows.forEach(row -> attempts.put(row.id(), new ArrayList<>()));
    jdbc.sql(
            """
            SELECT delivery_id, attempt, at, status_code, duration_ms, error
              FROM webhook_attempts
             WHERE delivery_id = ANY(CAST(:ids AS uuid[]))
             ORDER BY delivery_id, attempt
            """)
        .param("ids", rows.stream().map(row -> row.id().toString()).toArray(String[]::new))
        .query(
            (ResultSet rs) -> {
              Integer code = rs.getObject("status_code", Integer.class);
              String error = rs.getString("error");
              UUID delivery = rs.getObject("delivery_id", UUID.class);
              Objects.requireNonNull(
                      attempts.get(delivery), "the query asks only for these deliveries' attempts")
                  .add(
                      new DeliveryView.Attempt(
                          rs.getInt("attempt"),
                          Timestamps.required(rs, "at"),
                          error == null ? "succeeded" : "failed",
                          code,
                          rs.getLong("duration_ms"),
                          error));
            });
    return rows.stream()
        .map(
            row ->
                new DeliveryView(
                    row.id(),
                    row.eventType(),
                    row.eventId(),
                    row.status(),
                    row.statusCode(),
                    row.createdAt(),
                    row.nextAttemptAt(),
                    row.finishedAt(),
                    List.copyOf(attempts.get(row.id()))))
        .toList();
  }

  private static DeliveryView withoutAttempts(ResultSet rs, int row) throws SQLException {
    String status = rs.getString("status");
    return new DeliveryView(
        rs.getObject("id", UUID.class),
        rs.getString("event_type"),
        new EventPosition(rs.getLong("event_tx"), rs.getLong("event_id")).encode(),
        status,
        rs.getObject("last_status_code", Integer.class),
        Timestamps.required(rs, "created_at"),
        status.equals("pending") ? Timestamps.nullable(rs, "next_attempt_at") : null,
        Timestamps.nullable(rs, "finished_at"),
        List.of());
  }
}
