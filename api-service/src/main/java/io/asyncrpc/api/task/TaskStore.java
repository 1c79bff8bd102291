package io.asyncrpc.api.task;

import io.asyncrpc.api.web.StatusFilter;
import io.asyncrpc.task.model.TaskStatus;
import io.asyncrpc.task.model.TaskTransition.Cause;
import io.asyncrpc.task.model.Timestamps;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/**
 * The SQL of the {@code tasks} table as this service uses it, written out: the set-based insert of
 * a batch of new tasks with their first events, and the reads of the views the API shows. Reads run
 * outside any transaction: one statement, one round trip.
 */
@Repository
class TaskStore {

  /** The columns of a {@link TaskView}, JSON as text. */
  private static final String VIEW_COLUMNS =
      """
      id, device_id, method_code, priority, status, attempts, payload::text AS payload,
      external_id, online_only, created_at, deadline_at, updated_at, acknowledged_at, locked_at,
      lease_expires_at, finished_at, progress_percent, progress_message, progress_at,
      status_code, result::text AS result, result_id, cancel_confirmed_at, cancel_outcome""";

  /**
   * The device check is a join: a row whose device is not registered in the row's tenant is not
   * inserted. A row whose idempotency key its client already used is not inserted either ({@code ON
   * CONFLICT DO NOTHING} waits for a concurrent insert of the same key to commit or roll back), so
   * neither fails the statement, and so neither fails the other requests of the batch. The answer
   * tells the three apart: a row of {@code requested} with a payload was inserted, one without lost
   * its key to another task, and a row not answered at all has no device.
   *
   * <p>An online-only task whose device the joined row shows offline is inserted finished, as
   * UNREACHABLE with its {@code DEVICE_OFFLINE} event: decided in the same statement, so it never
   * waits in the FIFO, and no second read of the device can disagree with the insert.
   */
  private static final String INSERT_BATCH =
      """
      WITH requested AS (
          SELECT r.id::uuid AS id, r.device_id, r.client_id, r.tenant, r.method_code,
                 r.priority::smallint AS priority, r.payload::jsonb AS payload, r.external_id,
                 r.idempotency_key, r.created_at::timestamptz AS created_at,
                 r.deadline_at::timestamptz AS deadline_at, r.online_only,
                 CASE WHEN r.online_only AND NOT d.online THEN :unreachable ELSE :queued END
                   AS status
          FROM unnest(:ids, :deviceIds, :clientIds, :tenants, :methodCodes, :priorities,
                      :payloads, :externalIds, :idempotencyKeys, :createdAt, :deadlineAt,
                      :onlineOnly)
                AS r (id, device_id, client_id, tenant, method_code, priority, payload,
                      external_id, idempotency_key, created_at, deadline_at, online_only)
          JOIN devices d ON d.id = r.device_id AND d.tenant = r.tenant),
      inserted AS (
          INSERT INTO tasks (id, device_id, client_id, tenant, method_code, priority, payload,
                             external_id, idempotency_key, online_only, status, attempts,
                             created_at, deadline_at, updated_at, finished_at)
          SELECT id, device_id, client_id, tenant, method_code, priority, payload, external_id,
                 idempotency_key, online_only, status, 0, created_at, deadline_at, created_at,
                 CASE WHEN status = :unreachable THEN created_at END
          FROM requested
          ON CONFLICT (client_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
          RETURNING id, payload, created_at, status),
      events AS (
          INSERT INTO task_events (task_id, from_status, to_status, cause, attempt, actor,
                                   detail, at)
          SELECT id, NULL, status,
                 CASE WHEN status = :unreachable THEN :deviceOffline ELSE :created END, 0, :actor,
                 CASE WHEN status = :unreachable
                      THEN 'online-only task, the device is offline' END,
                 created_at
          FROM inserted)
      SELECT r.id, i.payload::text AS payload, i.status
      FROM requested r LEFT JOIN inserted i ON i.id = r.id
      """;

  private final JdbcClient jdbc;
  private final JsonMapper json;

  TaskStore(JdbcClient jdbc, JsonMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  /**
   * A task to insert, with every value decided.
   *
   * @param id the new task's id
   * @param deviceId its device, to be registered in {@code tenant}
   * @param clientId the caller
   * @param tenant the caller's tenant
   * @param methodCode what the device is asked to do
   * @param priority 0..9
   * @param payloadJson the payload as JSON text
   * @param externalId the caller's reference
   * @param idempotencyKey the caller's Idempotency-Key
   * @param createdAt when it was accepted (microseconds)
   * @param deadlineAt {@code createdAt} + ttl
   * @param onlineOnly UNREACHABLE at once when the device is offline, instead of queued
   */
  record NewRow(
      UUID id,
      String deviceId,
      String clientId,
      String tenant,
      String methodCode,
      int priority,
      String payloadJson,
      @Nullable String externalId,
      @Nullable String idempotencyKey,
      Instant createdAt,
      Instant deadlineAt,
      boolean onlineOnly) {}

  /** What became of one row of a batch. */
  sealed interface Inserted {

    /**
     * Inserted, with its first event; {@code payloadJson} as PostgreSQL stored it, {@code status}
     * QUEUED, or UNREACHABLE for an online-only task whose device is offline.
     */
    record Created(String payloadJson, TaskStatus status) implements Inserted {}

    /** Not inserted: no such device in the caller's tenant. */
    record DeviceUnknown() implements Inserted {}

    /** Not inserted: the client's idempotency key already names another task. */
    record KeyTaken() implements Inserted {}
  }

  /**
   * Inserts the rows and their first task events ({@code null → QUEUED}, {@code CREATED}; or {@code
   * null → UNREACHABLE}, {@code DEVICE_OFFLINE}) in one statement; returns what became of each, in
   * order. Call in a transaction.
   */
  List<Inserted> insertAll(List<NewRow> rows, String actor) {
    // A generic plan cannot know how long the arrays are and looks ten times dearer than a custom
    // one, so PostgreSQL would plan every batch anew: 0.35 ms a batch in the benchmark's profile,
    // more than the insert itself took. Both plans are the same index lookups.
    jdbc.sql("SET LOCAL plan_cache_mode = force_generic_plan").update();
    Map<UUID, Optional<Inserted.Created>> answered = new HashMap<>();
    jdbc.sql(INSERT_BATCH)
        .param("ids", texts(rows, r -> r.id().toString()))
        .param("deviceIds", texts(rows, NewRow::deviceId))
        .param("clientIds", texts(rows, NewRow::clientId))
        .param("tenants", texts(rows, NewRow::tenant))
        .param("methodCodes", texts(rows, NewRow::methodCode))
        .param(
            "priorities", new SqlArrayValue("int4", rows.stream().map(NewRow::priority).toArray()))
        .param("payloads", texts(rows, NewRow::payloadJson))
        .param("externalIds", texts(rows, NewRow::externalId))
        .param("idempotencyKeys", texts(rows, NewRow::idempotencyKey))
        .param("createdAt", texts(rows, r -> r.createdAt().toString()))
        .param("deadlineAt", texts(rows, r -> r.deadlineAt().toString()))
        .param(
            "onlineOnly",
            new SqlArrayValue("bool", rows.stream().map(NewRow::onlineOnly).toArray()))
        .param("queued", TaskStatus.QUEUED.name())
        .param("unreachable", TaskStatus.UNREACHABLE.name())
        .param("created", Cause.CREATED.name())
        .param("deviceOffline", Cause.DEVICE_OFFLINE.name())
        .param("actor", actor)
        .query(
            (RowCallbackHandler)
                rs -> {
                  String payload = rs.getString("payload");
                  answered.put(
                      rs.getObject("id", UUID.class),
                      payload == null
                          ? Optional.empty()
                          : Optional.of(
                              new Inserted.Created(
                                  payload, TaskStatus.valueOf(rs.getString("status")))));
                });
    return rows.stream()
        .map(
            row -> {
              Optional<Inserted.Created> created = answered.get(row.id());
              if (created == null) {
                return (Inserted) new Inserted.DeviceUnknown();
              }
              return created.<Inserted>map(c -> c).orElseGet(Inserted.KeyTaken::new);
            })
        .toList();
  }

  /** The task {@code id} if it belongs to {@code tenant}. */
  Optional<TaskView> find(UUID id, String tenant) {
    return jdbc.sql("SELECT " + VIEW_COLUMNS + " FROM tasks WHERE id = :id AND tenant = :tenant")
        .param("id", id)
        .param("tenant", tenant)
        .query((rs, n) -> view(rs))
        .optional();
  }

  /** The tasks of these ids, of any tenant (their events already say whose they are). */
  List<TaskView> findAll(Collection<UUID> ids) {
    return jdbc.sql("SELECT " + VIEW_COLUMNS + " FROM tasks WHERE id = ANY(:ids)")
        .param("ids", new SqlArrayValue("uuid", ids.toArray()))
        .query((rs, n) -> view(rs))
        .list();
  }

  /** The task the client created with this Idempotency-Key, if any. */
  Optional<TaskView> findByIdempotencyKey(String clientId, String tenant, String idempotencyKey) {
    return jdbc.sql(
            "SELECT "
                + VIEW_COLUMNS
                + " FROM tasks WHERE client_id = :clientId AND idempotency_key = :key"
                + " AND tenant = :tenant")
        .param("clientId", clientId)
        .param("key", idempotencyKey)
        .param("tenant", tenant)
        .query((rs, n) -> view(rs))
        .optional();
  }

  /**
   * One tenant's tasks, newest first ({@code created_at DESC, id DESC}), after the cursor if one is
   * given. The statement holds only the filters actually given, so PostgreSQL sees typed parameters
   * and can use the matching index ({@code tasks_by_device}, {@code tasks_by_external_id} or {@code
   * tasks_by_tenant}).
   */
  List<TaskView> page(
      String tenant,
      @Nullable String deviceId,
      Set<TaskStatus> statuses,
      @Nullable String externalId,
      @Nullable Instant cursorAt,
      @Nullable UUID cursorId,
      int limit) {
    StringBuilder sql =
        new StringBuilder("SELECT " + VIEW_COLUMNS + " FROM tasks WHERE tenant = :tenant");
    Map<String, Object> params = new HashMap<>();
    params.put("tenant", tenant);
    if (deviceId != null) {
      sql.append(" AND device_id = :deviceId");
      params.put("deviceId", deviceId);
    }
    if (!statuses.isEmpty()) {
      sql.append(" AND status = ANY(CAST(:statuses AS text[]))");
      params.put("statuses", StatusFilter.names(statuses));
    }
    if (externalId != null) {
      sql.append(" AND external_id = :externalId");
      params.put("externalId", externalId);
    }
    if (cursorAt != null && cursorId != null) {
      sql.append(" AND (created_at < :cursorAt OR (created_at = :cursorAt AND id < :cursorId))");
      params.put("cursorAt", cursorAt.atOffset(ZoneOffset.UTC));
      params.put("cursorId", cursorId);
    }
    sql.append(" ORDER BY created_at DESC, id DESC LIMIT :limit");
    params.put("limit", limit);
    return jdbc.sql(sql.toString()).params(params).query((rs, n) -> view(rs)).list();
  }

  private TaskView view(ResultSet rs) throws SQLException {
    String result = rs.getString("result");
    return new TaskView(
        rs.getObject("id", UUID.class),
        rs.getString("device_id"),
        rs.getString("method_code"),
        rs.getInt("priority"),
        TaskStatus.valueOf(rs.getString("status")),
        rs.getInt("attempts"),
        json.readTree(rs.getString("payload")),
        rs.getString("external_id"),
        rs.getBoolean("online_only"),
        Timestamps.required(rs, "created_at"),
        Timestamps.required(rs, "deadline_at"),
        Timestamps.required(rs, "updated_at"),
        Timestamps.nullable(rs, "acknowledged_at"),
        Timestamps.nullable(rs, "locked_at"),
        Timestamps.nullable(rs, "lease_expires_at"),
        Timestamps.nullable(rs, "finished_at"),
        progress(rs),
        rs.getObject("status_code", Integer.class),
        result == null ? null : json.readTree(result),
        rs.getObject("result_id", UUID.class),
        Timestamps.nullable(rs, "cancel_confirmed_at"),
        rs.getString("cancel_outcome"));
  }

  private static @Nullable TaskProgress progress(ResultSet rs) throws SQLException {
    Instant at = Timestamps.nullable(rs, "progress_at");
    return at == null
        ? null
        : new TaskProgress(
            rs.getObject("progress_percent", Integer.class), rs.getString("progress_message"), at);
  }

  private static SqlArrayValue texts(List<NewRow> rows, Function<NewRow, @Nullable String> value) {
    return new SqlArrayValue("text", rows.stream().map(value).toArray());
  }
}
