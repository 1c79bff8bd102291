package io.asyncrpc.core.task;

import io.asyncrpc.protocol.ProtocolVersion;
import io.asyncrpc.task.model.FifoClaim;
import io.asyncrpc.task.model.TaskStatus;
import io.asyncrpc.task.model.TaskTransition.Cause;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The SQL of the lifecycle. Each change is one statement: a CTE locks the rows, updates them and
 * inserts their {@code task_events} rows, so a change and its event cannot part, and concurrent
 * core instances never work on the same row ({@code FOR UPDATE}, {@code SKIP LOCKED} where a
 * different row will do). The locking CTE also yields each row's status before the update, which
 * {@code RETURNING} alone cannot give before PostgreSQL 18.
 */
@Repository
class TaskRepository {

  /** A claimed task and the status it had before. */
  record ClaimRow(ClaimedTask task, TaskStatus from) {}

  /**
   * A finished task and the status it had before; {@code othersWaiting} whether another task of the
   * device waited when it finished (false when not asked).
   */
  record FinishRow(UUID taskId, UUID resultId, TaskStatus from, boolean othersWaiting) {}

  /** A task a lease sweep changed, and what it became. */
  record LeaseRow(TaskTrigger task, TaskStatus to, Cause cause) {}

  /** What a push needs to know of a device, read under its row lock. */
  record DeviceRow(ProtocolVersion protocol, boolean online) {}

  private static final String CLAIM_BY_ID =
      FifoClaim.claim(
          """
          SELECT id, status FROM tasks
           WHERE id = :id AND device_id = :device
             AND %s
             FOR UPDATE"""
              .formatted(FifoClaim.CLAIMABLE),
          "CLAIMED");

  // The head of the device's FIFO; shared with the benchmark, which measures this statement.
  private static final String CLAIM_HEAD = FifoClaim.SQL;

  // A result is taken while LOCKED, and also after the lease passed and the task went back to
  // the FIFO (attempts > 0): the device did the work (see TaskTransitions).
  private static final String FINISH = finish("false");

  // v2: the commit also says whether another task of the device waits, so the claim of its next
  // task is only run when there is one (under the device's row lock, taken before: a task created
  // after this statement is pushed by its own trigger, which waits for that lock).
  private static final String FINISH_REPORTING_OTHERS =
      finish(
          """
          EXISTS (SELECT 1 FROM tasks w
                   WHERE w.device_id = :device AND w.id <> :id AND %s)"""
              .formatted(FifoClaim.CLAIMABLE));

  private static String finish(String othersWaiting) {
    return """
        WITH target AS (
            SELECT id, status FROM tasks
             WHERE id = :id AND device_id = :device
               AND (status = 'LOCKED' OR (status IN ('QUEUED', 'PENDING') AND attempts > 0))
               FOR UPDATE
        ), finished AS (
            UPDATE tasks t
               SET status = CAST(:status AS text), status_code = :statusCode,
                   result = CAST(CAST(:result AS text) AS jsonb), result_id = :resultId,
                   finished_at = now(), lease_expires_at = NULL, updated_at = now()
              FROM target
             WHERE t.id = target.id
         RETURNING t.id, t.attempts, t.result_id, target.status AS from_status
        ), recorded AS (
            INSERT INTO task_events (task_id, from_status, to_status, cause, attempt, actor, detail)
            SELECT id, from_status, CAST(:status AS text), CAST(:cause AS text), attempts, :actor,
                   CAST(:detail AS text)
              FROM finished
        )
        SELECT finished.*, %s AS others_waiting FROM finished
        """
        .formatted(othersWaiting.indent(4).strip());
  }

  private static final String ACKNOWLEDGE =
      """
      WITH target AS (
          SELECT id FROM tasks
           WHERE id = :id AND device_id = :device AND status = 'QUEUED'
             FOR UPDATE
      ), acknowledged AS (
          UPDATE tasks t
             SET status = 'PENDING', acknowledged_at = now(), updated_at = now()
            FROM target
           WHERE t.id = target.id
       RETURNING t.id, t.attempts
      ), recorded AS (
          INSERT INTO task_events (task_id, from_status, to_status, cause, attempt, actor)
          SELECT id, 'QUEUED', 'PENDING', 'ACKNOWLEDGED', attempts, :actor FROM acknowledged
      )
      SELECT count(*) FROM acknowledged
      """;

  private static final String SWEEP_DEADLINES =
      """
      WITH target AS (
          SELECT id, status FROM tasks
           WHERE status IN ('QUEUED', 'PENDING') AND deadline_at <= now()
           ORDER BY deadline_at
           LIMIT :batch
             FOR UPDATE SKIP LOCKED
      ), expired AS (
          UPDATE tasks t
             SET status = 'EXPIRED', finished_at = now(), updated_at = now()
            FROM target
           WHERE t.id = target.id
       RETURNING t.id, t.attempts, target.status AS from_status
      ), recorded AS (
          INSERT INTO task_events (task_id, from_status, to_status, cause, attempt, actor)
          SELECT id, from_status, 'EXPIRED', 'DEADLINE_PASSED', attempts, :actor FROM expired
      )
      SELECT id, from_status FROM expired
      """;

  // An online-only task whose device is offline ends UNREACHABLE instead of being queued again.
  private static final String SWEEP_LEASES =
      """
      WITH target AS (
          SELECT id FROM tasks
           WHERE status = 'LOCKED' AND lease_expires_at <= now()
           ORDER BY lease_expires_at
           LIMIT :batch
             FOR UPDATE SKIP LOCKED
      ), swept AS (
          UPDATE tasks t
             SET status = CASE WHEN t.deadline_at <= now() THEN 'EXPIRED'
                               WHEN t.attempts >= :maxAttempts THEN 'TIMED_OUT'
                               WHEN t.online_only AND NOT d.online THEN 'UNREACHABLE'
                               ELSE 'QUEUED' END,
                 finished_at = CASE WHEN t.deadline_at <= now() OR t.attempts >= :maxAttempts
                                         OR (t.online_only AND NOT d.online)
                                    THEN now() END,
                 lease_expires_at = NULL, updated_at = now()
            FROM target, devices d
           WHERE t.id = target.id AND d.id = t.device_id
       RETURNING t.id, t.device_id, t.method_code, t.priority, t.deadline_at, t.attempts,
                 t.status AS to_status, d.protocol_version,
                 CASE t.status WHEN 'EXPIRED' THEN 'DEADLINE_PASSED'
                               WHEN 'TIMED_OUT' THEN 'RETRIES_EXHAUSTED'
                               WHEN 'UNREACHABLE' THEN 'DEVICE_OFFLINE'
                               ELSE 'LEASE_PASSED' END AS cause
      ), recorded AS (
          INSERT INTO task_events (task_id, from_status, to_status, cause, attempt, actor, detail)
          SELECT id, 'LOCKED', to_status, cause, attempts, :actor,
                 CASE WHEN to_status = 'UNREACHABLE'
                      THEN 'the lease passed while the device was offline' END
            FROM swept
      )
      SELECT * FROM swept
      """;

  /**
   * Ends the waiting online-only tasks of offline devices (online-only tasks never wait for an
   * offline device); {@code %s} narrows it to one device or to a batch of all of them.
   */
  private static final String UNREACHABLE =
      """
      WITH target AS (
          SELECT t.id, t.status FROM tasks t JOIN devices d ON d.id = t.device_id
           WHERE t.online_only AND t.status IN ('QUEUED', 'PENDING') AND NOT d.online
             %s
             FOR UPDATE OF t SKIP LOCKED
      ), ended AS (
          UPDATE tasks t
             SET status = 'UNREACHABLE', finished_at = now(), updated_at = now()
            FROM target
           WHERE t.id = target.id
       RETURNING t.id, t.attempts, target.status AS from_status
      ), recorded AS (
          INSERT INTO task_events (task_id, from_status, to_status, cause, attempt, actor, detail)
          SELECT id, from_status, 'UNREACHABLE', 'DEVICE_OFFLINE', attempts, :actor,
                 CAST(:detail AS text)
            FROM ended
      )
      SELECT id, from_status FROM ended
      """;

  private static final String UNREACHABLE_OF_DEVICE =
      UNREACHABLE.formatted("AND t.device_id = :device");

  private static final String UNREACHABLE_SWEEP =
      UNREACHABLE.formatted("ORDER BY t.deadline_at LIMIT :batch");

  // v2: the head of the FIFO, pushed unless the device holds a task already (which it is working
  // on: the next one comes with its commit). Runs after LOCK_DEVICE in the same transaction, so
  // two pushes to one device cannot both see it idle.
  private static final String PUSH_HEAD = FifoClaim.headClaim("PUSHED", true);

  // NO KEY UPDATE: serialises pushes to one device without blocking the inserts of its new tasks
  // (their foreign key takes KEY SHARE, which this lock does not conflict with).
  private static final String LOCK_DEVICE =
      "SELECT protocol_version, online FROM devices WHERE id = :device FOR NO KEY UPDATE";

  // Takes back a push the broker could not route, only if it is still that claim: QUEUED again
  // with the attempt not counted, or UNREACHABLE for an online-only task whose device the
  // registry shows offline (finished, so its attempt stays as its events count it).
  private static final String UNDELIVER =
      """
      WITH target AS (
          SELECT id FROM tasks
           WHERE id = :id AND device_id = :device AND status = 'LOCKED' AND attempts = :attempt
             FOR UPDATE
      ), reverted AS (
          UPDATE tasks t
             SET status = CASE WHEN t.online_only AND NOT d.online THEN 'UNREACHABLE'
                               ELSE 'QUEUED' END,
                 finished_at = CASE WHEN t.online_only AND NOT d.online THEN now() END,
                 attempts = CASE WHEN t.online_only AND NOT d.online THEN t.attempts
                                 ELSE t.attempts - 1 END,
                 locked_at = NULL,
                 lease_expires_at = NULL, updated_at = now()
            FROM target, devices d
           WHERE t.id = target.id AND d.id = t.device_id
       RETURNING t.id, t.attempts, t.status AS to_status
      ), recorded AS (
          INSERT INTO task_events (task_id, from_status, to_status, cause, attempt, actor, detail)
          SELECT id, 'LOCKED', to_status,
                 CASE to_status WHEN 'UNREACHABLE' THEN 'DEVICE_OFFLINE' ELSE 'UNDELIVERED' END,
                 attempts, :actor,
                 CASE WHEN to_status = 'UNREACHABLE'
                      THEN 'the push came back undelivered, the device is offline' END
            FROM reverted
      )
      SELECT to_status FROM reverted
      """;

  // Progress of a task the device holds. The lease grows so a long job that reports does not time
  // out, but never past the deadline; the tenant's task.progress event is written here (no
  // trigger writes it), in the same statement as the task event.
  private static final String PROGRESS =
      """
      WITH target AS (
          SELECT id FROM tasks
           WHERE id = :id AND device_id = :device AND status = 'LOCKED'
             FOR UPDATE
      ), progressed AS (
          UPDATE tasks t
             SET progress_percent = CAST(:percent AS smallint),
                 progress_message = CAST(:message AS text), progress_at = now(),
                 lease_expires_at = LEAST(t.deadline_at,
                     GREATEST(t.lease_expires_at, now() + :leaseMillis * interval '1 millisecond')),
                 updated_at = now()
            FROM target
           WHERE t.id = target.id
       RETURNING t.id, t.attempts, t.tenant, t.device_id, t.lease_expires_at, t.progress_at
      ), recorded AS (
          INSERT INTO task_events (task_id, from_status, to_status, cause, attempt, actor, detail)
          SELECT id, 'LOCKED', 'LOCKED', 'PROGRESS', attempts, :actor, CAST(:report AS text)
            FROM progressed
      ), told AS (
          INSERT INTO tenant_events (tenant, type, device_id, task_id, at, data)
          SELECT tenant, 'task.progress', device_id, id, progress_at, CAST(:report AS jsonb)
            FROM progressed
      )
      SELECT id, lease_expires_at FROM progressed
      """;

  // The first answer of the device to the cancel of a task it held; a repeat finds nothing to
  // update. No change of status, so the tenant's triggers on status stay quiet. An execution's
  // confirmation counts in its job's cancel_confirmed, in the same statement, so the count is
  // exactly the executions whose cancel_confirmed_at is set. (The task row is locked before the
  // job row; no statement locks a job's tasks that are already CANCELLED after the job row.)
  private static final String CONFIRM_CANCEL =
      """
      WITH confirmed AS (
          UPDATE tasks
             SET cancel_confirmed_at = now(), cancel_outcome = :outcome, updated_at = now()
           WHERE id = :id AND device_id = :device AND status = 'CANCELLED'
             AND cancel_confirmed_at IS NULL
       RETURNING id, attempts, job_id
      ), recorded AS (
          INSERT INTO task_events (task_id, from_status, to_status, cause, attempt, actor, detail)
          SELECT id, 'CANCELLED', 'CANCELLED', 'CANCEL_CONFIRMED', attempts, :actor,
                 CAST(:detail AS text)
            FROM confirmed
      ), counted AS (
          UPDATE jobs j SET cancel_confirmed = j.cancel_confirmed + 1, updated_at = now()
            FROM confirmed
           WHERE j.id = confirmed.job_id
      )
      SELECT id FROM confirmed
      """;

  // The device's protocol is a lookup per task, not a join: for a large batch of ids the planner
  // would hash-join a scan of every device (its index lookups look dear to it), and the
  // notification listener, which reads such batches, then scanned 10,000 devices per batch.
  private static final String FIND_ALL =
      """
      SELECT t.id, t.device_id, t.status, t.attempts, t.deadline_at, t.method_code, t.priority,
             t.result_id,
             (SELECT d.protocol_version FROM devices d WHERE d.id = t.device_id)
               AS protocol_version
        FROM tasks t
       WHERE t.id = ANY(:ids)
      """;

  private static final String FIND =
      """
      SELECT t.id, t.device_id, t.status, t.attempts, t.deadline_at, t.method_code, t.priority,
             t.result_id, d.protocol_version
        FROM tasks t JOIN devices d ON d.id = t.device_id
       WHERE t.id = :id
      """;

  private final JdbcClient jdbc;

  TaskRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** The tasks of {@code ids} that exist, in one statement. */
  List<TaskSnapshot> findAll(List<UUID> ids) {
    return jdbc.sql(FIND_ALL)
        .param("ids", ids.toArray(UUID[]::new))
        .query(TaskRepository::snapshot)
        .list();
  }

  Optional<TaskSnapshot> find(UUID id) {
    return jdbc.sql(FIND).param("id", id).query(TaskRepository::snapshot).optional();
  }

  Optional<ClaimRow> claim(String device, UUID id, Duration lease, String actor) {
    return jdbc.sql(CLAIM_BY_ID)
        .param("id", id)
        .param("device", device)
        .param("leaseMillis", lease.toMillis())
        .param("actor", actor)
        .query(TaskRepository::claimRow)
        .optional();
  }

  Optional<ClaimRow> claimHead(String device, Duration lease, String actor) {
    return jdbc.sql(CLAIM_HEAD)
        .param("device", device)
        .param("leaseMillis", lease.toMillis())
        .param("actor", actor)
        .query(TaskRepository::claimRow)
        .optional();
  }

  /** Locks the device's registry row for this transaction; empty when it is not registered. */
  Optional<DeviceRow> lockDevice(String device) {
    return jdbc.sql(LOCK_DEVICE)
        .param("device", device)
        .query((rs, row) -> new DeviceRow(protocol(rs), rs.getBoolean("online")))
        .optional();
  }

  /** v2: locks the head of the device's FIFO for a push, unless it holds a task already. */
  Optional<ClaimRow> pushHead(String device, Duration lease, String actor) {
    return jdbc.sql(PUSH_HEAD)
        .param("device", device)
        .param("leaseMillis", lease.toMillis())
        .param("actor", actor)
        .query(TaskRepository::claimRow)
        .optional();
  }

  /**
   * Takes back an unroutable push; the status it has now (QUEUED, or UNREACHABLE), empty when it
   * moved on meanwhile.
   */
  Optional<TaskStatus> undeliver(UUID id, String device, int attempt, String actor) {
    return jdbc.sql(UNDELIVER)
        .param("id", id)
        .param("device", device)
        .param("attempt", attempt)
        .param("actor", actor)
        .query((rs, row) -> TaskStatus.valueOf(rs.getString("to_status")))
        .optional();
  }

  /** Ends the waiting online-only tasks of {@code device} if it is offline. */
  List<TransitionRow> unreachable(String device, String detail, String actor) {
    return jdbc.sql(UNREACHABLE_OF_DEVICE)
        .param("device", device)
        .param("detail", detail)
        .param("actor", actor)
        .query(TaskRepository::unreachableRow)
        .list();
  }

  /** Ends at most {@code batch} waiting online-only tasks of any offline device. */
  List<TransitionRow> sweepUnreachable(int batch, String detail, String actor) {
    return jdbc.sql(UNREACHABLE_SWEEP)
        .param("batch", batch)
        .param("detail", detail)
        .param("actor", actor)
        .query(TaskRepository::unreachableRow)
        .list();
  }

  private static TransitionRow unreachableRow(ResultSet rs, int row) throws SQLException {
    return new TransitionRow(
        rs.getObject("id", UUID.class),
        TaskStatus.valueOf(rs.getString("from_status")),
        TaskStatus.UNREACHABLE,
        Cause.DEVICE_OFFLINE);
  }

  /**
   * Finishes the task with its result and event, if the device holds it (or held it when its lease
   * passed); empty otherwise.
   *
   * @param reportOthersWaiting whether to find out if another task of the device waits (v2)
   */
  Optional<FinishRow> finish(
      String device,
      UUID id,
      TaskStatus status,
      Cause cause,
      int statusCode,
      @Nullable String resultJson,
      UUID resultId,
      String detail,
      String actor,
      boolean reportOthersWaiting) {
    return jdbc.sql(reportOthersWaiting ? FINISH_REPORTING_OTHERS : FINISH)
        .param("id", id)
        .param("device", device)
        .param("status", status.name())
        .param("cause", cause.name())
        .param("statusCode", statusCode)
        .param("result", resultJson)
        .param("resultId", resultId)
        .param("detail", detail)
        .param("actor", actor)
        .query(
            (rs, row) ->
                new FinishRow(
                    rs.getObject("id", UUID.class),
                    rs.getObject("result_id", UUID.class),
                    TaskStatus.valueOf(rs.getString("from_status")),
                    rs.getBoolean("others_waiting")))
        .optional();
  }

  /** Records the device's first answer to the cancel of {@code id}; false when nothing changed. */
  boolean confirmCancel(String device, UUID id, String outcome, String detail, String actor) {
    return jdbc.sql(CONFIRM_CANCEL)
        .param("id", id)
        .param("device", device)
        .param("outcome", outcome)
        .param("detail", detail)
        .param("actor", actor)
        .query(UUID.class)
        .optional()
        .isPresent();
  }

  /** The cancelled tasks of {@code ids} whose device has not answered the cancel. */
  List<CancelledTask> unconfirmedCancels(List<UUID> ids) {
    return jdbc.sql(
            """
            SELECT t.id, t.device_id, t.deadline_at
              FROM tasks t JOIN devices d ON d.id = t.device_id
             WHERE t.id = ANY(:ids) AND t.status = 'CANCELLED' AND t.cancel_confirmed_at IS NULL
               AND d.protocol_version = 2 AND t.deadline_at > now()
            """)
        .param("ids", ids.toArray(UUID[]::new))
        .query(
            (rs, n) ->
                new CancelledTask(
                    rs.getObject("id", UUID.class),
                    rs.getString("device_id"),
                    rs.getObject("deadline_at", java.time.OffsetDateTime.class).toInstant()))
        .list();
  }

  /**
   * Records progress of a task the device holds, with its event and the tenant's event; the lease
   * after it was extended, empty when the device does not hold the task.
   *
   * @param reportJson {@code {"percent", "message", "details"}}, the event's data
   */
  Optional<Instant> progress(
      String device,
      UUID id,
      @Nullable Integer percent,
      @Nullable String message,
      String reportJson,
      Duration lease,
      String actor) {
    return jdbc.sql(PROGRESS)
        .param("id", id)
        .param("device", device)
        .param("percent", percent, java.sql.Types.INTEGER)
        .param("message", message, java.sql.Types.VARCHAR)
        .param("report", reportJson)
        .param("leaseMillis", lease.toMillis())
        .param("actor", actor)
        .query((rs, row) -> instant(rs, "lease_expires_at"))
        .optional();
  }

  boolean acknowledge(String device, UUID id, String actor) {
    return jdbc.sql(ACKNOWLEDGE)
            .param("id", id)
            .param("device", device)
            .param("actor", actor)
            .query(Long.class)
            .single()
        > 0;
  }

  List<TransitionRow> sweepDeadlines(int batch, String actor) {
    return jdbc.sql(SWEEP_DEADLINES)
        .param("batch", batch)
        .param("actor", actor)
        .query(
            (rs, row) ->
                new TransitionRow(
                    rs.getObject("id", UUID.class),
                    TaskStatus.valueOf(rs.getString("from_status")),
                    TaskStatus.EXPIRED,
                    Cause.DEADLINE_PASSED))
        .list();
  }

  List<LeaseRow> sweepLeases(int batch, int maxAttempts, String actor) {
    return jdbc.sql(SWEEP_LEASES)
        .param("batch", batch)
        .param("maxAttempts", maxAttempts)
        .param("actor", actor)
        .query(
            (rs, row) ->
                new LeaseRow(
                    new TaskTrigger(
                        rs.getObject("id", UUID.class),
                        rs.getString("device_id"),
                        rs.getString("method_code"),
                        rs.getInt("priority"),
                        instant(rs, "deadline_at"),
                        protocol(rs)),
                    TaskStatus.valueOf(rs.getString("to_status")),
                    Cause.valueOf(rs.getString("cause"))))
        .list();
  }

  private static ClaimRow claimRow(ResultSet rs, int row) throws SQLException {
    ClaimedTask task =
        new ClaimedTask(
            rs.getObject("id", UUID.class),
            rs.getString("device_id"),
            rs.getString("method_code"),
            rs.getString("payload"),
            rs.getInt("attempts"),
            instant(rs, "deadline_at"),
            rs.getString("external_id"),
            instant(rs, "lease_expires_at"));
    return new ClaimRow(task, TaskStatus.valueOf(rs.getString("from_status")));
  }

  private static TaskSnapshot snapshot(ResultSet rs, int row) throws SQLException {
    return new TaskSnapshot(
        rs.getObject("id", UUID.class),
        rs.getString("device_id"),
        TaskStatus.valueOf(rs.getString("status")),
        rs.getInt("attempts"),
        instant(rs, "deadline_at"),
        rs.getString("method_code"),
        rs.getInt("priority"),
        rs.getObject("result_id", UUID.class),
        protocol(rs));
  }

  private static ProtocolVersion protocol(ResultSet rs) throws SQLException {
    return ProtocolVersion.of(rs.getInt("protocol_version")).orElse(ProtocolVersion.V1);
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    return rs.getObject(column, OffsetDateTime.class).toInstant();
  }
}
