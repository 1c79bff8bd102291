package io.asyncrpc.api.webhook;

import io.asyncrpc.api.web.Cursor;
import io.asyncrpc.task.model.Timestamps;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The webhook endpoints table: every read and change of the API names the tenant. */
@Repository
class WebhookStore {

  private static final String COLUMNS =
      "id, tenant, url, description, event_types, enabled, secret, previous_secret,"
          + " previous_expires_at, created_at, updated_at, disabled_reason, disabled_at";

  private static final OffsetDateTime END = OffsetDateTime.parse("9999-12-31T23:59:59Z");

  private final JdbcClient jdbc;

  WebhookStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Inserts the endpoint unless its tenant has {@code max} endpoints already; false then. A
   * transaction-scoped advisory lock per tenant makes the count and the insert one step.
   */
  boolean insert(Endpoint endpoint, int max) {
    jdbc.sql("SELECT 1 FROM pg_advisory_xact_lock(hashtext('webhook_endpoints:' || :tenant))")
        .param("tenant", endpoint.tenant())
        .query(Integer.class)
        .single();
    return jdbc.sql(
                """
                INSERT INTO webhook_endpoints (id, tenant, url, description, event_types, enabled,
                                               secret, created_at, updated_at)
                SELECT :id, :tenant, :url, :description, CAST(:types AS text[]), true, :secret,
                       :created, :created
                 WHERE (SELECT count(*) FROM webhook_endpoints WHERE tenant = :tenant) < :max
                """)
            .param("id", endpoint.id())
            .param("tenant", endpoint.tenant())
            .param("url", endpoint.url())
            .param("description", endpoint.description())
            .param("types", endpoint.eventTypes().toArray(String[]::new))
            .param("secret", endpoint.secret())
            .param("created", utc(endpoint.createdAt()))
            .param("max", max)
            .update()
        == 1;
  }

  Optional<Endpoint> find(UUID id, String tenant) {
    return jdbc.sql("SELECT " + COLUMNS + " FROM webhook_endpoints WHERE id = :id AND tenant = :t")
        .param("id", id)
        .param("t", tenant)
        .query(WebhookStore::endpoint)
        .optional();
  }

  /** A tenant's endpoints, newest first, after {@code cursor}; {@code limit} of them at most. */
  List<Endpoint> page(String tenant, @Nullable Cursor cursor, int limit) {
    return jdbc.sql(
            "SELECT "
                + COLUMNS
                + """
                 FROM webhook_endpoints
                 WHERE tenant = :t AND (created_at, id) < (:at, CAST(:id AS uuid))
                 ORDER BY created_at DESC, id DESC
                 LIMIT :limit
                """)
        .param("t", tenant)
        .param("at", cursor == null ? END : utc(cursor.createdAt()))
        .param("id", cursor == null ? "ffffffff-ffff-ffff-ffff-ffffffffffff" : cursor.id())
        .param("limit", limit)
        .query(WebhookStore::endpoint)
        .list();
  }

  /** Writes the changeable fields of {@code endpoint} back; false if it no longer exists. */
  boolean update(Endpoint endpoint) {
    return jdbc.sql(
                """
                UPDATE webhook_endpoints
                   SET url = :url, description = :description, event_types = CAST(:types AS text[]),
                       enabled = :enabled, disabled_reason = :reason, disabled_at = :disabledAt,
                       consecutive_failures = CASE WHEN :enabled AND NOT enabled THEN 0
                                                   ELSE consecutive_failures END,
                       failing_since = CASE WHEN :enabled AND NOT enabled THEN NULL
                                            ELSE failing_since END,
                       updated_at = :updated
                 WHERE id = :id AND tenant = :tenant
                """)
            .param("id", endpoint.id())
            .param("tenant", endpoint.tenant())
            .param("url", endpoint.url())
            .param("description", endpoint.description())
            .param("types", endpoint.eventTypes().toArray(String[]::new))
            .param("enabled", endpoint.enabled())
            .param("reason", endpoint.disabledReason())
            .param(
                "disabledAt",
                endpoint.disabledAt() == null ? null : utc(endpoint.disabledAt()),
                java.sql.Types.TIMESTAMP_WITH_TIMEZONE)
            .param("updated", utc(endpoint.updatedAt()))
            .update()
        == 1;
  }

  boolean delete(UUID id, String tenant) {
    return jdbc.sql("DELETE FROM webhook_endpoints WHERE id = :id AND tenant = :t")
            .param("id", id)
            .param("t", tenant)
            .update()
        == 1;
  }

  /** Makes {@code secret} the signing secret; the current one keeps signing for {@code overlap}. */
  Optional<Endpoint> rotate(UUID id, String tenant, String secret, Duration overlap) {
    return jdbc.sql(
            """
            UPDATE webhook_endpoints
               SET previous_secret = secret, previous_expires_at = now() + CAST(:overlap AS interval),
                   secret = :secret, updated_at = now()
             WHERE id = :id AND tenant = :t
            RETURNING\s"""
                + COLUMNS)
        .param("id", id)
        .param("t", tenant)
        .param("secret", secret)
        .param("overlap", overlap.toMillis() + " milliseconds")
        .query(WebhookStore::endpoint)
        .optional();
  }

  /** Whether any tenant has an enabled endpoint. */
  boolean anyEnabled() {
    return jdbc.sql("SELECT EXISTS (SELECT 1 FROM webhook_endpoints WHERE enabled)")
        .query(Boolean.class)
        .single();
  }

  /** The enabled endpoints of these tenants: whom the fan-out may address. */
  List<Endpoint> enabledOf(Collection<String> tenants) {
    return jdbc.sql(
            "SELECT "
                + COLUMNS
                + " FROM webhook_endpoints WHERE enabled AND tenant = ANY(CAST(:t AS text[]))")
        .param("t", tenants.toArray(String[]::new))
        .query(WebhookStore::endpoint)
        .list();
  }

  /** A 2xx ends a run of failures. */
  void recordSuccess(UUID id) {
    jdbc.sql(
            """
            UPDATE webhook_endpoints SET consecutive_failures = 0, failing_since = NULL
             WHERE id = :id AND consecutive_failures <> 0
            """)
        .param("id", id)
        .update();
  }

  /**
   * Counts a failed attempt, and disables the endpoint when it has now failed {@code failures}
   * times in a row over at least {@code period}. Returns whether this call disabled it.
   */
  boolean recordFailure(UUID id, int failures, Duration period) {
    // One statement (a CTE updating the row first would not be seen by a second update of it).
    Boolean disabled =
        jdbc.sql(
                """
                UPDATE webhook_endpoints
                   SET consecutive_failures = consecutive_failures + 1,
                       failing_since = COALESCE(failing_since, now()),
                       enabled = enabled AND NOT (%1$s),
                       disabled_at = CASE WHEN enabled AND (%1$s) THEN now() ELSE disabled_at END,
                       disabled_reason = CASE WHEN enabled AND (%1$s)
                           THEN 'failed ' || (consecutive_failures + 1) || ' attempts in a row since '
                                || to_char(COALESCE(failing_since, now()) AT TIME ZONE 'UTC',
                                           'YYYY-MM-DD"T"HH24:MI:SS"Z"')
                           ELSE disabled_reason END
                 WHERE id = :id
                RETURNING COALESCE(NOT enabled AND disabled_at = now(), false)
                """
                    .formatted(
                        "consecutive_failures + 1 >= :failures"
                            + " AND COALESCE(failing_since, now())"
                            + " <= now() - CAST(:period AS interval)"))
            .param("id", id)
            .param("failures", failures)
            .param("period", period.toMillis() + " milliseconds")
            .query(Boolean.class)
            .optional()
            .orElse(false);
    return disabled;
  }

  /** Disables an endpoint for {@code reason} (a 410); false if it was disabled already. */
  boolean disable(UUID id, String reason) {
    return jdbc.sql(
                """
                UPDATE webhook_endpoints SET enabled = false, disabled_reason = :reason,
                       disabled_at = now()
                 WHERE id = :id AND enabled
                """)
            .param("id", id)
            .param("reason", reason)
            .update()
        == 1;
  }

  static Endpoint endpoint(ResultSet rs, int row) throws SQLException {
    Array types = rs.getArray("event_types");
    return new Endpoint(
        rs.getObject("id", UUID.class),
        rs.getString("tenant"),
        rs.getString("url"),
        rs.getString("description"),
        List.of((String[]) types.getArray()),
        rs.getBoolean("enabled"),
        rs.getString("secret"),
        rs.getString("previous_secret"),
        Timestamps.nullable(rs, "previous_expires_at"),
        Timestamps.required(rs, "created_at"),
        Timestamps.required(rs, "updated_at"),
        rs.getString("disabled_reason"),
        Timestamps.nullable(rs, "disabled_at"));
  }

  static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
