package io.asyncrpc.api.job;

import io.asyncrpc.api.web.StatusFilter;
import io.asyncrpc.task.model.TaskStatus;
import io.asyncrpc.task.model.Timestamps;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/** The SQL of jobs and their targets as the API uses it, written out. */
@Repository
class JobStore {

  private static final String COLUMNS =
      """
      id, status, status_reason, method_code, payload::text AS payload, priority, execution_ttl,
      execution_retries, targets::text AS targets, rollout::text AS rollout,
      abort_criteria::text AS abort_criteria, start_at, created_at, updated_at, started_at,
      finished_at, target_count, executions_created, cancel_confirmed""";

  private final JdbcClient jdbc;
  private final JsonMapper json;

  JobStore(JdbcClient jdbc, JsonMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  /** Inserts the job; false when its client already used the idempotency key. */
  boolean insert(
      UUID id,
      String tenant,
      String clientId,
      @Nullable String idempotencyKey,
      NewJob job,
      Instant now) {
    return jdbc.sql(
                """
                INSERT INTO jobs (id, tenant, client_id, idempotency_key, status, method_code,
                                  payload, priority, execution_ttl, execution_retries, targets,
                                  rollout, abort_criteria, start_at, created_at, updated_at)
                VALUES (:id, :tenant, :client, :key, 'SCHEDULED', :method, CAST(:payload AS jsonb),
                        :priority, :ttl, :retries, CAST(:targets AS jsonb),
                        CAST(:rollout AS jsonb), CAST(:abort AS jsonb), :startAt, :now, :now)
                ON CONFLICT (client_id, idempotency_key) WHERE idempotency_key IS NOT NULL
                DO NOTHING
                """)
            .param("id", id)
            .param("tenant", tenant)
            .param("client", clientId)
            .param("key", idempotencyKey)
            .param("method", job.methodCode())
            .param("payload", job.payloadJson())
            .param("priority", job.priority())
            .param("ttl", job.ttl())
            .param("retries", job.retries())
            .param("targets", job.targetsJson())
            .param("rollout", job.rolloutJson())
            .param("abort", job.abortJson())
            .param("startAt", utc(job.startAt()))
            .param("now", utc(now))
            .update()
        == 1;
  }

  /** The ids of the list that are not devices of the tenant. */
  List<String> unknownDevices(String tenant, List<String> ids) {
    return jdbc
        .sql(
            """
            SELECT x FROM unnest(CAST(:ids AS text[])) AS x
             WHERE NOT EXISTS (SELECT 1 FROM devices d WHERE d.id = x AND d.tenant = :tenant)
            """)
        .param("ids", ids.toArray(String[]::new))
        .param("tenant", tenant)
        .query(String.class)
        .list()
        .stream()
        .map(id -> Objects.requireNonNull(id, "an element of the given list"))
        .toList();
  }

  /** The targets of an explicit list, in its order; one statement. */
  int insertTargets(UUID job, List<String> ids) {
    return jdbc.sql(
            """
            INSERT INTO job_targets (job_id, device_id, position)
            SELECT :job, x.id, x.n - 1 FROM unnest(CAST(:ids AS text[])) WITH ORDINALITY AS x (id, n)
            """)
        .param("job", job)
        .param("ids", ids.toArray(String[]::new))
        .update();
  }

  /** How many of the tenant's devices carry the tag. */
  int countTagged(String tenant, String tagJson) {
    return jdbc.sql(
            "SELECT count(*) FROM devices WHERE tenant = :tenant AND tags @> CAST(:tag AS jsonb)")
        .param("tenant", tenant)
        .param("tag", tagJson)
        .query(Integer.class)
        .single();
  }

  /** The tenant's devices with the tag as targets, oldest registration first; one statement. */
  int insertTaggedTargets(UUID job, String tenant, String tagJson) {
    return jdbc.sql(
            """
            INSERT INTO job_targets (job_id, device_id, position)
            SELECT :job, id, (row_number() OVER (ORDER BY created_at, id) - 1)::integer
              FROM devices WHERE tenant = :tenant AND tags @> CAST(:tag AS jsonb)
            """)
        .param("job", job)
        .param("tenant", tenant)
        .param("tag", tagJson)
        .update();
  }

  void setTargetCount(UUID job, int count, boolean finishedAlready, Instant now) {
    jdbc.sql(
            """
            UPDATE jobs SET target_count = :count,
                   status = CASE WHEN :finished THEN 'COMPLETED' ELSE status END,
                   finished_at = CASE WHEN :finished THEN :now ELSE finished_at END
             WHERE id = :job
            """)
        .param("count", count)
        .param("finished", finishedAlready)
        .param("now", utc(now))
        .param("job", job)
        .update();
  }

  Optional<JobView> find(UUID id, String tenant) {
    return jdbc.sql("SELECT " + COLUMNS + " FROM jobs WHERE id = :id AND tenant = :tenant")
        .param("id", id)
        .param("tenant", tenant)
        .query((rs, n) -> row(rs))
        .optional()
        .map(this::withCounts);
  }

  Optional<JobView> findByIdempotencyKey(String clientId, String tenant, String key) {
    return jdbc.sql(
            "SELECT "
                + COLUMNS
                + " FROM jobs WHERE client_id = :client AND idempotency_key = :key"
                + " AND tenant = :tenant")
        .param("client", clientId)
        .param("key", key)
        .param("tenant", tenant)
        .query((rs, n) -> row(rs))
        .optional()
        .map(this::withCounts);
  }

  /** The tenant's jobs newest first, after the cursor; without counts (one query a page). */
  List<JobView> page(
      String tenant, @Nullable Instant cursorAt, @Nullable UUID cursorId, int limit) {
    return jdbc
        .sql(
            "SELECT "
                + COLUMNS
                + """
                 FROM jobs WHERE tenant = :tenant
                  AND (CAST(:cursorAt AS timestamptz) IS NULL OR created_at < :cursorAt
                       OR (created_at = :cursorAt AND id < :cursorId))
                ORDER BY created_at DESC, id DESC LIMIT :limit
                """)
        .param("tenant", tenant)
        .param("cursorAt", cursorAt == null ? null : utc(cursorAt))
        .param("cursorId", cursorId)
        .param("limit", limit)
        .query((rs, n) -> row(rs))
        .list()
        .stream()
        .map(this::withCounts)
        .toList();
  }

  /**
   * The ids of a job's executions, oldest first by id, after the cursor; in one of {@code statuses}
   * unless it is empty.
   */
  List<UUID> executions(UUID job, Set<TaskStatus> statuses, @Nullable UUID after, int limit) {
    return jdbc
        .sql(
            """
            SELECT id FROM tasks
             WHERE job_id = :job
               AND (cardinality(CAST(:statuses AS text[])) = 0
                    OR status = ANY(CAST(:statuses AS text[])))
               AND (CAST(:after AS uuid) IS NULL OR id > CAST(:after AS uuid))
             ORDER BY id LIMIT :limit
            """)
        .param("job", job)
        .param("statuses", StatusFilter.names(statuses))
        .param("after", after)
        .param("limit", limit)
        .query(UUID.class)
        .list()
        .stream()
        .map(id -> Objects.requireNonNull(id, "tasks.id is the primary key"))
        .toList();
  }

  /** Cancels the job if it is still running (its row locked until the commit); false if not. */
  boolean cancel(UUID id, String tenant, String reason, Instant now) {
    return jdbc.sql(
                """
                UPDATE jobs SET status = 'CANCELLED', status_reason = :reason,
                       finished_at = :now, updated_at = :now
                 WHERE id = :id AND tenant = :tenant AND status IN ('SCHEDULED', 'IN_PROGRESS')
                """)
            .param("id", id)
            .param("tenant", tenant)
            .param("reason", reason)
            .param("now", utc(now))
            .update()
        == 1;
  }

  /**
   * Tells the job's end in the tenant event log ({@code job.finished}), with the roll-up as the
   * rollout writes it; in the cancel's transaction, after it.
   */
  void tellFinished(UUID id) {
    jdbc.sql(
            """
            INSERT INTO tenant_events (tenant, type, job_id, at, data)
            SELECT j.tenant, 'job.finished', j.id, now(),
                   jsonb_build_object(
                       'job_id', j.id, 'status', j.status, 'status_reason', j.status_reason,
                       'target_count', j.target_count, 'executions_created', j.executions_created,
                       'counts', COALESCE((SELECT jsonb_object_agg(c.status, c.n)
                                             FROM (SELECT status, count(*) AS n FROM tasks
                                                    WHERE job_id = j.id GROUP BY status) c),
                                          '{}'::jsonb))
              FROM jobs j WHERE j.id = :id
            """)
        .param("id", id)
        .update();
  }

  private JobView withCounts(JobView job) {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (TaskStatus status : TaskStatus.values()) {
      counts.put(status.name(), 0L);
    }
    jdbc.sql("SELECT status, count(*) FROM tasks WHERE job_id = :job GROUP BY status")
        .param("job", job.id())
        .query(
            (ResultSet rs) -> {
              counts.put(rs.getString(1), rs.getLong(2));
            });
    return new JobView(
        job.id(),
        job.status(),
        job.statusReason(),
        job.methodCode(),
        job.payload(),
        job.priority(),
        job.ttl(),
        job.retries(),
        job.targets(),
        job.rollout(),
        job.abort(),
        job.startAt(),
        job.createdAt(),
        job.updatedAt(),
        job.startedAt(),
        job.finishedAt(),
        job.targetCount(),
        job.executionsCreated(),
        Math.max(0, job.targetCount() - job.executionsCreated()),
        counts,
        job.cancelConfirmed());
  }

  private JobView row(ResultSet rs) throws SQLException {
    return new JobView(
        rs.getObject("id", UUID.class),
        rs.getString("status"),
        rs.getString("status_reason"),
        rs.getString("method_code"),
        json.readTree(rs.getString("payload")),
        rs.getInt("priority"),
        rs.getInt("execution_ttl"),
        rs.getInt("execution_retries"),
        json.readTree(rs.getString("targets")),
        json.readTree(rs.getString("rollout")),
        json.readTree(rs.getString("abort_criteria")),
        Timestamps.required(rs, "start_at"),
        Timestamps.required(rs, "created_at"),
        Timestamps.required(rs, "updated_at"),
        Timestamps.nullable(rs, "started_at"),
        Timestamps.nullable(rs, "finished_at"),
        rs.getInt("target_count"),
        rs.getInt("executions_created"),
        0,
        Map.of(),
        rs.getInt("cancel_confirmed"));
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
