package io.asyncrpc.core.job;

import io.asyncrpc.core.support.TaskFixtures;
import io.asyncrpc.task.model.TaskStatus;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Jobs and their targets as api-service writes them, and what the rollout made of them. */
final class JobFixtures {

  private final JdbcClient jdbc;

  JobFixtures(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** {@code n} new devices of the default tenant, each with {@code tags} (JSON). */
  List<String> devices(String prefix, int n, String tags) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add(TaskFixtures.uniqueDeviceId(prefix) + "-" + i);
    }
    jdbc.sql(
            """
            INSERT INTO devices (id, display_name, tags)
            SELECT id, 'job test', CAST(:tags AS jsonb) FROM unnest(CAST(:ids AS text[])) AS id
            """)
        .param("ids", ids.toArray(String[]::new))
        .param("tags", tags)
        .update();
    return ids;
  }

  /** A SCHEDULED job over {@code devices} (in that order), starting at {@code startAt}. */
  UUID job(
      List<String> devices,
      String payload,
      String rollout,
      String abort,
      int retries,
      Instant startAt) {
    return job(devices, payload, rollout, abort, retries, startAt, "{\"device_ids\": []}");
  }

  UUID job(
      List<String> devices,
      String payload,
      String rollout,
      String abort,
      int retries,
      Instant startAt,
      String targets) {
    UUID id = UUID.randomUUID();
    jdbc.sql(
            """
            INSERT INTO jobs (id, tenant, client_id, status, method_code, payload, priority,
                              execution_ttl, execution_retries, targets, rollout, abort_criteria,
                              start_at, created_at, updated_at, target_count)
            VALUES (:id, 'default', 'test-client', 'SCHEDULED', 'fw.update', CAST(:payload AS jsonb),
                    5, 3600, :retries, CAST(:targets AS jsonb), CAST(:rollout AS jsonb),
                    CAST(:abort AS jsonb), :start, now(), now(), :count)
            """)
        .param("id", id)
        .param("payload", payload)
        .param("retries", retries)
        .param("targets", targets)
        .param("rollout", rollout)
        .param("abort", abort)
        .param("start", OffsetDateTime.ofInstant(startAt, ZoneOffset.UTC))
        .param("count", devices.size())
        .update();
    jdbc.sql(
            """
            INSERT INTO job_targets (job_id, device_id, position)
            SELECT :job, device, (ord - 1)::int
              FROM unnest(CAST(:devices AS text[])) WITH ORDINALITY AS d(device, ord)
            """)
        .param("job", id)
        .param("devices", devices.toArray(String[]::new))
        .update();
    return id;
  }

  String status(UUID job) {
    return jdbc.sql("SELECT status FROM jobs WHERE id = ?")
        .params(job)
        .query(String.class)
        .single();
  }

  String statusReason(UUID job) {
    return jdbc.sql("SELECT status_reason FROM jobs WHERE id = ?")
        .params(job)
        .query(String.class)
        .single();
  }

  int executionsCreated(UUID job) {
    return jdbc.sql("SELECT executions_created FROM jobs WHERE id = ?")
        .params(job)
        .query(Integer.class)
        .single();
  }

  /** Every task of the job. */
  int tasks(UUID job) {
    return jdbc.sql("SELECT count(*) FROM tasks WHERE job_id = ?")
        .params(job)
        .query(Integer.class)
        .single();
  }

  /** The job's tasks per device. */
  Map<String, Integer> tasksPerDevice(UUID job) {
    Map<String, Integer> map = new java.util.HashMap<>();
    jdbc.sql("SELECT device_id, count(*) AS n FROM tasks WHERE job_id = ? GROUP BY device_id")
        .params(job)
        .query(
            rs -> {
              map.put(rs.getString("device_id"), rs.getInt("n"));
            });
    return map;
  }

  /** The targets whose current execution is missing or is not their device's task of this job. */
  int targetsWithoutTheirExecution(UUID job) {
    return jdbc.sql(
            """
            SELECT count(*) FROM job_targets jt
              LEFT JOIN tasks t ON t.id = jt.task_id AND t.job_id = jt.job_id
                               AND t.device_id = jt.device_id
             WHERE jt.job_id = ? AND t.id IS NULL
            """)
        .params(job)
        .query(Integer.class)
        .single();
  }

  /** The current execution of each target, in rollout order. */
  List<UUID> executions(UUID job) {
    return jdbc.sql("SELECT task_id FROM job_targets WHERE job_id = ? ORDER BY position")
        .params(job)
        .query((rs, n) -> rs.getObject("task_id", UUID.class))
        .list();
  }

  String payload(UUID task) {
    return jdbc.sql("SELECT payload::text FROM tasks WHERE id = ?")
        .params(task)
        .query(String.class)
        .single();
  }

  /** Ends {@code tasks} as a device (or sweep) would, without the history: only the status. */
  void finish(List<UUID> tasks, TaskStatus status) {
    jdbc.sql(
            """
            UPDATE tasks SET status = :status, finished_at = now(), updated_at = now()
             WHERE id = ANY(CAST(:ids AS uuid[]))
            """)
        .param("status", status.name())
        .param("ids", tasks.stream().map(UUID::toString).toArray(String[]::new))
        .update();
  }

  /** How many of the job's tasks are in {@code status}. */
  int tasks(UUID job, TaskStatus status) {
    return jdbc.sql("SELECT count(*) FROM tasks WHERE job_id = ? AND status = ?")
        .params(job, status.name())
        .query(Integer.class)
        .single();
  }

  /** The job's events: type and data, oldest first. */
  List<Map.Entry<String, String>> events(UUID job) {
    return jdbc.sql(
            "SELECT type, data::text AS data FROM tenant_events WHERE job_id = ? ORDER BY id")
        .params(job)
        .query((rs, n) -> Map.entry(rs.getString("type"), rs.getString("data")))
        .list();
  }
}
