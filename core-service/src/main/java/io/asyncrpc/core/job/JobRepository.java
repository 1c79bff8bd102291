package io.asyncrpc.core.job;

import io.asyncrpc.task.model.TaskStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The SQL of the rollout: jobs, their targets and the executions (tasks) they create. */
@Repository
class JobRepository {

  /** A target that gets an execution now: a first one, or a retry of {@code previousTask}. */
  record Target(String deviceId, String tags, UUID previousTask) {}

  /** An execution about to be created. */
  record NewExecution(UUID id, String deviceId, String payload, UUID previousTask) {}

  static final String ACTOR = "core";

  private static final String DUE =
      """
      SELECT id FROM jobs
       WHERE status IN ('SCHEDULED', 'IN_PROGRESS') AND start_at <= :now
       ORDER BY start_at, id
       LIMIT :limit
      """;

  // One decision per job at a time: an instance that finds the row locked leaves the job to the
  // instance deciding on it, and the lock lasts until what the decision created is committed.
  private static final String LOCK =
      """
      SELECT id, tenant, client_id, status, method_code, payload::text AS payload, priority,
             execution_ttl, execution_retries, targets::text AS targets, rollout::text AS rollout,
             abort_criteria::text AS abort_criteria, rollout_clock,
             reported_counts::text AS reported_counts, target_count, executions_created
        FROM jobs
       WHERE id = :id AND status IN ('SCHEDULED', 'IN_PROGRESS') AND start_at <= :now
         FOR UPDATE SKIP LOCKED
      """;

  // The status of each target's current execution (its latest, after retries).
  private static final String CURRENT_COUNTS =
      """
      SELECT t.status, count(*) AS n
        FROM job_targets jt JOIN tasks t ON t.id = jt.task_id
       WHERE jt.job_id = :job
       GROUP BY t.status
      """;

  // Every execution, retried ones too: the roll-up GET /api/v1/jobs/{id} shows.
  private static final String ALL_COUNTS =
      "SELECT status, count(*) AS n FROM tasks WHERE job_id = :job GROUP BY status";

  private static final String WAITING_TARGETS =
      """
      SELECT jt.device_id, d.tags::text AS tags, NULL::uuid AS previous_task
        FROM job_targets jt JOIN devices d ON d.id = jt.device_id
       WHERE jt.job_id = :job AND jt.task_id IS NULL
       ORDER BY jt.position
       LIMIT :limit
      """;

  // A target whose current execution timed out and that has retries left: its executions so far
  // are its first one and the retries.
  private static final String RETRY_TARGETS =
      """
      SELECT jt.device_id, d.tags::text AS tags, jt.task_id AS previous_task
        FROM job_targets jt
        JOIN tasks t ON t.id = jt.task_id
        JOIN devices d ON d.id = jt.device_id
       WHERE jt.job_id = :job AND t.status = 'TIMED_OUT'
         AND (SELECT count(*) FROM tasks p
               WHERE p.device_id = jt.device_id AND p.job_id = :job) <= :retries
       ORDER BY jt.position
       LIMIT :limit
      """;

  // One statement for the whole batch: the tasks, their creation events, and each target pointed
  // at its new execution. The target's update is conditional on the execution it had when it was
  // read, so an execution is never created twice for one target.
  private static final String CREATE =
      """
      WITH new AS (
          SELECT * FROM unnest(CAST(:ids AS uuid[]), CAST(:devices AS text[]),
                               CAST(:payloads AS text[]), CAST(:previous AS uuid[]))
                        AS n(id, device_id, payload, previous)
      ), task AS (
          INSERT INTO tasks (id, device_id, client_id, tenant, method_code, priority, payload,
                             status, created_at, deadline_at, updated_at, job_id)
          SELECT n.id, n.device_id, :client, :tenant, :method, :priority, CAST(n.payload AS jsonb),
                 'QUEUED', :now, :deadline, :now, :job
            FROM new n
          RETURNING id, device_id
      ), recorded AS (
          INSERT INTO task_events (task_id, from_status, to_status, cause, attempt, actor, at)
          SELECT id, NULL, 'QUEUED', 'CREATED', 0, :actor, :now FROM task
      ), pointed AS (
          UPDATE job_targets jt SET task_id = n.id
            FROM new n
           WHERE jt.job_id = :job AND jt.device_id = n.device_id
             AND jt.task_id IS NOT DISTINCT FROM n.previous
          RETURNING jt.device_id
      )
      SELECT count(*) FROM pointed
      """;

  private static final String ADVANCE =
      """
      UPDATE jobs
         SET status = 'IN_PROGRESS', started_at = COALESCE(started_at, :now),
             executions_created = executions_created + :created, rollout_clock = :clock,
             updated_at = :now
       WHERE id = :job
      """;

  // Continuous targets: devices of the tenant that gained the tag since, after the last position.
  private static final String APPEND_TARGETS =
      """
      WITH last AS (
          SELECT COALESCE(max(position), -1) AS position FROM job_targets WHERE job_id = :job
      ), appended AS (
          INSERT INTO job_targets (job_id, device_id, position)
          SELECT :job, d.id, last.position + row_number() OVER (ORDER BY d.created_at, d.id)
            FROM devices d, last
           WHERE d.tenant = :tenant AND d.tags @> CAST(:selector AS jsonb)
             AND NOT EXISTS (SELECT 1 FROM job_targets jt
                              WHERE jt.job_id = :job AND jt.device_id = d.id)
          ON CONFLICT DO NOTHING
          RETURNING 1
      ), counted AS (
          UPDATE jobs SET target_count = target_count + (SELECT count(*) FROM appended)
           WHERE id = :job
      )
      SELECT count(*) FROM appended
      """;

  // Executions not yet handed to a device end with the job; those a device holds run on (the
  // api's cancel of a job gives them the cancel handshake).
  private static final String CANCEL_WAITING =
      """
      WITH target AS (
          SELECT id, status FROM tasks
           WHERE job_id = :job AND status IN ('QUEUED', 'PENDING')
             FOR UPDATE
      ), cancelled AS (
          UPDATE tasks t SET status = 'CANCELLED', finished_at = :now, updated_at = :now
            FROM target
           WHERE t.id = target.id
          RETURNING t.id, t.attempts, target.status AS from_status
      ), recorded AS (
          INSERT INTO task_events (task_id, from_status, to_status, cause, attempt, actor, detail, at)
          SELECT id, from_status, 'CANCELLED', 'CANCELLED', attempts, :actor, :detail, :now
            FROM cancelled
      )
      SELECT from_status AS status, count(*) AS n FROM cancelled GROUP BY from_status
      """;

  private static final String FINISH =
      """
      UPDATE jobs
         SET status = :status, status_reason = :reason, finished_at = :now, updated_at = :now,
             started_at = COALESCE(started_at, :now)
       WHERE id = :job AND status IN ('SCHEDULED', 'IN_PROGRESS')
      """;

  private static final String TELL =
      """
      WITH told AS (
          INSERT INTO tenant_events (tenant, type, job_id, at, data)
          VALUES (:tenant, :type, :job, :now, CAST(:data AS jsonb))
      )
      UPDATE jobs SET reported_counts = CAST(:data AS jsonb) WHERE id = :job
      """;

  private final JdbcClient jdbc;

  JobRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  List<UUID> due(Instant now, int limit) {
    return jdbc.sql(DUE)
        .param("now", utc(now))
        .param("limit", limit)
        .query((rs, n) -> rs.getObject("id", UUID.class))
        .list();
  }

  Optional<JobRow> lock(UUID id, Instant now) {
    return jdbc.sql(LOCK)
        .param("id", id)
        .param("now", utc(now))
        .query(JobRepository::job)
        .optional();
  }

  Map<TaskStatus, Integer> currentCounts(UUID job) {
    return counts(CURRENT_COUNTS, job);
  }

  Map<TaskStatus, Integer> allCounts(UUID job) {
    return counts(ALL_COUNTS, job);
  }

  List<Target> waitingTargets(UUID job, int limit) {
    return jdbc.sql(WAITING_TARGETS)
        .param("job", job)
        .param("limit", limit)
        .query(JobRepository::target)
        .list();
  }

  List<Target> retryTargets(UUID job, int retries, int limit) {
    return jdbc.sql(RETRY_TARGETS)
        .param("job", job)
        .param("retries", retries)
        .param("limit", limit)
        .query(JobRepository::target)
        .list();
  }

  /**
   * Creates the executions; the number of targets that got theirs (all, or the caller rolls back).
   */
  int create(JobRow job, List<NewExecution> executions, Instant now) {
    return jdbc.sql(CREATE)
        .param("ids", executions.stream().map(e -> e.id().toString()).toArray(String[]::new))
        .param("devices", executions.stream().map(NewExecution::deviceId).toArray(String[]::new))
        .param("payloads", executions.stream().map(NewExecution::payload).toArray(String[]::new))
        .param(
            "previous",
            executions.stream()
                .map(e -> e.previousTask() == null ? null : e.previousTask().toString())
                .toArray(String[]::new))
        .param("client", job.clientId())
        .param("tenant", job.tenant())
        .param("method", job.methodCode())
        .param("priority", job.priority())
        .param("now", utc(now))
        .param("deadline", utc(now.plusSeconds(job.executionTtl())))
        .param("job", job.id())
        .param("actor", ACTOR)
        .query(Integer.class)
        .single();
  }

  void advance(UUID job, int created, Instant clock, Instant now) {
    jdbc.sql(ADVANCE)
        .param("job", job)
        .param("created", created)
        .param("clock", utc(clock))
        .param("now", utc(now))
        .update();
  }

  int appendTargets(JobRow job, String selector) {
    return jdbc.sql(APPEND_TARGETS)
        .param("job", job.id())
        .param("tenant", job.tenant())
        .param("selector", selector)
        .query(Integer.class)
        .single();
  }

  /** Cancels the job's waiting executions; how many, by the status they had. */
  Map<TaskStatus, Integer> cancelWaiting(UUID job, String detail, Instant now) {
    Map<TaskStatus, Integer> cancelled = new EnumMap<>(TaskStatus.class);
    jdbc.sql(CANCEL_WAITING)
        .param("job", job)
        .param("actor", ACTOR)
        .param("detail", detail)
        .param("now", utc(now))
        .query(
            (ResultSet rs) -> {
              cancelled.put(TaskStatus.valueOf(rs.getString("status")), rs.getInt("n"));
            });
    return cancelled;
  }

  void finish(UUID job, String status, @Nullable String reason, Instant now) {
    jdbc.sql(FINISH)
        .param("job", job)
        .param("status", status)
        .param("reason", reason)
        .param("now", utc(now))
        .update();
  }

  /** Writes a job event and remembers its data as what was told last. */
  void tell(JobRow job, String type, String data, Instant now) {
    jdbc.sql(TELL)
        .param("tenant", job.tenant())
        .param("type", type)
        .param("job", job.id())
        .param("now", utc(now))
        .param("data", data)
        .update();
  }

  private Map<TaskStatus, Integer> counts(String sql, UUID job) {
    Map<TaskStatus, Integer> counts = new EnumMap<>(TaskStatus.class);
    jdbc.sql(sql)
        .param("job", job)
        .query(
            (ResultSet rs) -> {
              counts.put(TaskStatus.valueOf(rs.getString("status")), rs.getInt("n"));
            });
    return counts;
  }

  private static JobRow job(ResultSet rs, int n) throws SQLException {
    OffsetDateTime clock = rs.getObject("rollout_clock", OffsetDateTime.class);
    return new JobRow(
        rs.getObject("id", UUID.class),
        rs.getString("tenant"),
        rs.getString("client_id"),
        rs.getString("status"),
        rs.getString("method_code"),
        rs.getString("payload"),
        rs.getInt("priority"),
        rs.getInt("execution_ttl"),
        rs.getInt("execution_retries"),
        rs.getString("targets"),
        rs.getString("rollout"),
        rs.getString("abort_criteria"),
        clock == null ? null : clock.toInstant(),
        rs.getString("reported_counts"),
        rs.getInt("target_count"),
        rs.getInt("executions_created"));
  }

  private static Target target(ResultSet rs, int n) throws SQLException {
    return new Target(
        rs.getString("device_id"), rs.getString("tags"), rs.getObject("previous_task", UUID.class));
  }

  private static OffsetDateTime utc(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }
}
