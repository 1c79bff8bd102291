package io.asyncrpc.api.task;

import io.asyncrpc.api.outbox.Outbox;
import io.asyncrpc.task.model.NorthboundTopology;
import io.asyncrpc.task.model.TaskCancelled;
import io.asyncrpc.task.model.TaskStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The API's one cancel path, for a single task ({@code DELETE /api/v1/tasks/{id}}) and for every
 * unfinished execution of a job ({@code POST /api/v1/jobs/{id}/cancel}): one conditional UPDATE (so
 * it cannot overwrite a result core-service stores at the same moment) with the task events, in the
 * caller's transaction. Every task a v2 device held (LOCKED) gets a {@link TaskCancelled} in the
 * outbox of that transaction, so core-service tells the device ({@code srv/<SN>/cnl}); a v1 device
 * is never told, and a task that still waited is simply never handed out.
 */
@Component
public class TaskCancellation {

  // %s selects the tasks: one of the two selectors below, never input.
  private static final String CANCEL =
      """
      WITH target AS (
          SELECT id, status FROM tasks t
           WHERE %s AND t.status IN ('QUEUED', 'PENDING', 'LOCKED')
             FOR UPDATE
      ), cancelled AS (
          UPDATE tasks t
             SET status = 'CANCELLED', finished_at = :now, updated_at = :now
            FROM target
           WHERE t.id = target.id
          RETURNING t.id, target.status AS from_status, t.attempts, t.device_id,
              (SELECT d.protocol_version FROM devices d
                WHERE d.id = t.device_id AND d.tenant = t.tenant) AS protocol_version
      ), recorded AS (
          INSERT INTO task_events (task_id, from_status, to_status, cause, attempt, actor, detail, at)
          SELECT id, from_status, 'CANCELLED', 'CANCELLED', attempts, :actor, :detail, :now
            FROM cancelled
      )
      SELECT id, from_status, device_id, protocol_version FROM cancelled
      """;

  private static final String ONE_TASK = "t.id = :id AND t.tenant = :tenant";
  private static final String JOB_EXECUTIONS = "t.job_id = :id AND t.tenant = :tenant";

  private final JdbcClient jdbc;
  private final Outbox outbox;
  private final TransitionCounter transitions;
  private final Counter cancelledCounter;

  TaskCancellation(
      JdbcClient jdbc, Outbox outbox, TransitionCounter transitions, MeterRegistry meters) {
    this.jdbc = jdbc;
    this.outbox = outbox;
    this.transitions = transitions;
    this.cancelledCounter = meters.counter("iot.api.tasks.cancelled");
  }

  /**
   * Cancels the job's executions that have not finished, in the caller's transaction; those a v2
   * device holds get the device cancel.
   *
   * @return how many were cancelled, per status they had
   */
  @Transactional(propagation = Propagation.MANDATORY)
  public Map<TaskStatus, Long> cancelExecutions(UUID job, String tenant, Instant now) {
    return cancel(JOB_EXECUTIONS, job, tenant, now, "job cancelled").stream()
        .collect(Collectors.groupingBy(Cancelled::from, Collectors.counting()));
  }

  /** Cancels one task if it has not finished; the status it had, null when it had finished. */
  @Transactional(propagation = Propagation.MANDATORY)
  @Nullable TaskStatus cancelTask(UUID id, String tenant, Instant now) {
    List<Cancelled> done = cancel(ONE_TASK, id, tenant, now, null);
    return done.isEmpty() ? null : done.getFirst().from();
  }

  private List<Cancelled> cancel(
      String selector, UUID id, String tenant, Instant now, @Nullable String detail) {
    List<Cancelled> done =
        jdbc.sql(CANCEL.formatted(selector))
            .param("id", id)
            .param("tenant", tenant)
            .param("now", Timestamp.from(now))
            .param("actor", TaskManagement.ACTOR)
            .param("detail", detail)
            .query(
                (rs, n) ->
                    new Cancelled(
                        rs.getObject("id", UUID.class),
                        TaskStatus.valueOf(rs.getString("from_status")),
                        rs.getString("device_id"),
                        rs.getObject("protocol_version", Integer.class)))
            .list();
    outbox.appendAll(
        done.stream()
            .filter(Cancelled::toldToDevice)
            .map(
                c ->
                    new Outbox.Event(
                        c.id(),
                        TaskCancelled.class.getSimpleName(),
                        NorthboundTopology.TASK_CANCELLED_KEY,
                        new TaskCancelled(c.id(), c.deviceId())))
            .toList());
    done.stream()
        .collect(Collectors.groupingBy(Cancelled::from, Collectors.counting()))
        .forEach((from, n) -> transitions.afterCommit(from, TaskStatus.CANCELLED, n.intValue()));
    cancelledCounter.increment(done.size());
    return done;
  }

  private record Cancelled(
      UUID id, TaskStatus from, String deviceId, @Nullable Integer protocolVersion) {

    /** Only a v2 device that holds the task has a handler to stop, and knows the message. */
    boolean toldToDevice() {
      return from == TaskStatus.LOCKED && protocolVersion != null && protocolVersion == 2;
    }
  }
}
