package io.asyncrpc.reliability.history;

import io.asyncrpc.task.model.TaskStatus;
import io.asyncrpc.task.model.TaskTransition.Cause;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** Reads the database's side of a history: tasks, task events, the outbox. */
public final class HistoryReader {

  private final String url;
  private final String user;
  private final String password;

  public HistoryReader(String url, String user, String password) {
    this.url = url;
    this.user = user;
    this.password = password;
  }

  /** The whole history, with the client's and devices' logs. */
  public History read(List<AcceptedTask> accepted, List<DeviceObservation> devices) {
    try (Connection db = DriverManager.getConnection(url, user, password);
        Statement sql = db.createStatement()) {
      db.setAutoCommit(false);
      // One snapshot for every read.
      sql.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
      Instant readAt;
      try (ResultSet rs = sql.executeQuery("SELECT now()")) {
        rs.next();
        readAt = instant(rs, 1);
      }
      List<TaskRow> tasks = new ArrayList<>();
      try (ResultSet rs =
          sql.executeQuery(
              "SELECT id, device_id, status, attempts, created_at, deadline_at, lease_expires_at,"
                  + " result_id FROM tasks")) {
        while (rs.next()) {
          tasks.add(
              new TaskRow(
                  rs.getObject(1, UUID.class),
                  rs.getString(2),
                  TaskStatus.valueOf(rs.getString(3)),
                  rs.getInt(4),
                  instant(rs, 5),
                  instant(rs, 6),
                  instantOrNull(rs, 7),
                  rs.getObject(8, UUID.class)));
        }
      }
      List<TaskEventRow> events = new ArrayList<>();
      try (ResultSet rs =
          sql.executeQuery(
              "SELECT id, task_id, from_status, to_status, cause, attempt, at FROM task_events")) {
        while (rs.next()) {
          String from = rs.getString(3);
          events.add(
              new TaskEventRow(
                  rs.getLong(1),
                  rs.getObject(2, UUID.class),
                  from == null ? null : TaskStatus.valueOf(from),
                  TaskStatus.valueOf(rs.getString(4)),
                  Cause.valueOf(rs.getString(5)),
                  rs.getInt(6),
                  instant(rs, 7)));
        }
      }
      long outbox;
      try (ResultSet rs = sql.executeQuery("SELECT count(*) FROM outbox")) {
        rs.next();
        outbox = rs.getLong(1);
      }
      Map<UUID, Integer> told = new HashMap<>();
      try (ResultSet rs =
          sql.executeQuery(
              "SELECT task_id, count(*) FROM tenant_events WHERE type = 'task.finished'"
                  + " GROUP BY task_id")) {
        while (rs.next()) {
          told.put(rs.getObject(1, UUID.class), rs.getInt(2));
        }
      }
      List<JobHistory> jobs = jobs(sql);
      db.commit();
      return new History(accepted, tasks, events, devices, outbox, told, readAt, jobs);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the history from " + url, e);
    }
  }

  /** Every fleet job with its targets and executions. */
  private static List<JobHistory> jobs(Statement sql) throws SQLException {
    Map<UUID, List<JobHistory.Target>> targets = new HashMap<>();
    try (ResultSet rs = sql.executeQuery("SELECT job_id, device_id, task_id FROM job_targets")) {
      while (rs.next()) {
        targets
            .computeIfAbsent(rs.getObject(1, UUID.class), id -> new ArrayList<>())
            .add(new JobHistory.Target(rs.getString(2), rs.getObject(3, UUID.class)));
      }
    }
    Map<UUID, List<JobHistory.Execution>> executions = new HashMap<>();
    try (ResultSet rs =
        sql.executeQuery(
            "SELECT job_id, id, device_id, status, created_at FROM tasks"
                + " WHERE job_id IS NOT NULL")) {
      while (rs.next()) {
        executions
            .computeIfAbsent(rs.getObject(1, UUID.class), id -> new ArrayList<>())
            .add(
                new JobHistory.Execution(
                    rs.getObject(2, UUID.class),
                    rs.getString(3),
                    TaskStatus.valueOf(rs.getString(4)),
                    instant(rs, 5)));
      }
    }
    List<JobHistory> jobs = new ArrayList<>();
    try (ResultSet rs =
        sql.executeQuery("SELECT id, status, executions_created, execution_retries FROM jobs")) {
      while (rs.next()) {
        UUID id = rs.getObject(1, UUID.class);
        jobs.add(
            new JobHistory(
                id,
                rs.getString(2),
                rs.getInt(3),
                rs.getInt(4),
                targets.getOrDefault(id, List.of()),
                executions.getOrDefault(id, List.of())));
      }
    }
    return jobs;
  }

  /**
   * How much work is open: tasks not terminal yet plus fleet jobs still rolling out, and outbox
   * rows waiting; -1 when unreachable.
   */
  public long[] openWork() {
    try (Connection db = DriverManager.getConnection(url, user, password);
        Statement sql = db.createStatement();
        ResultSet rs =
            sql.executeQuery(
                "SELECT (SELECT count(*) FROM tasks WHERE status IN ('QUEUED','PENDING','LOCKED'))"
                    + " + (SELECT count(*) FROM jobs WHERE status IN ('SCHEDULED','IN_PROGRESS')),"
                    + " (SELECT count(*) FROM outbox)")) {
      rs.next();
      return new long[] {rs.getLong(1), rs.getLong(2)};
    } catch (SQLException e) {
      return new long[] {-1, -1};
    }
  }

  /** A timestamp of a NOT NULL column (or now()). */
  private static Instant instant(ResultSet rs, int column) throws SQLException {
    return Objects.requireNonNull(instantOrNull(rs, column), "a NOT NULL column read null");
  }

  private static @Nullable Instant instantOrNull(ResultSet rs, int column) throws SQLException {
    Timestamp value = rs.getTimestamp(column);
    return value == null ? null : value.toInstant();
  }
}
