package io.asyncrpc.core.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncrpc.protocol.ProtocolJson;
import io.asyncrpc.task.model.NorthboundTopology;
import io.asyncrpc.task.model.TaskCreated;
import io.asyncrpc.task.model.TaskStatus;
import io.asyncrpc.task.model.TaskTransition.Cause;
import io.asyncrpc.task.model.TaskTransitions;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Writes devices and tasks the way api-service does (task row + creation event, then the {@link
 * TaskCreated} event on {@code iot.tasks}) and reads back what the core made of them.
 */
public final class TaskFixtures {

  /** A task row as the tests look at it. */
  public record TaskRow(
      UUID id,
      TaskStatus status,
      int attempts,
      Integer statusCode,
      String result,
      UUID resultId,
      Instant leaseExpiresAt,
      Instant finishedAt) {}

  /** A task event row. */
  public record EventRow(TaskStatus from, TaskStatus to, Cause cause, int attempt, String actor) {}

  /** A device row's presence columns. */
  public record DeviceRow(boolean online, Instant connectedAt, Instant lastSeenAt) {}

  private final JdbcClient jdbc;
  private final RabbitTemplate rabbit;
  private final ProtocolJson json;

  public TaskFixtures(JdbcClient jdbc, RabbitTemplate rabbit, ProtocolJson json) {
    this.jdbc = jdbc;
    this.rabbit = rabbit;
    this.json = json;
  }

  /** A device id unique in the shared test database. */
  public static String uniqueDeviceId(String prefix) {
    return prefix + "-" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
  }

  /** Registers a new device and returns its id. */
  public String newDevice(String prefix) {
    String id = uniqueDeviceId(prefix);
    jdbc.sql("INSERT INTO devices (id, display_name) VALUES (?, ?)").params(id, prefix).update();
    return id;
  }

  /** A task as api-service creates it: row, creation event and {@link TaskCreated} event. */
  public UUID createTask(String device, String methodCode, int priority, Instant deadline) {
    return createTask(
        device, methodCode, priority, deadline, "{\"relay\": 2, \"state\": \"on\"}", null);
  }

  public UUID createTask(
      String device,
      String methodCode,
      int priority,
      Instant deadline,
      String payload,
      String externalId) {
    UUID id =
        insertTask(device, methodCode, priority, deadline, payload, externalId, Instant.now());
    publishCreated(id, device, methodCode, priority, deadline);
    return id;
  }

  /**
   * An online-only task as api-service creates it for a device the registry shows online: QUEUED,
   * with its {@link TaskCreated} event.
   */
  public UUID createOnlineOnlyTask(String device, String methodCode, Instant deadline) {
    UUID id =
        insertTask(device, methodCode, 5, deadline, "{\"relay\": 2}", null, Instant.now(), true);
    publishCreated(id, device, methodCode, 5, deadline);
    return id;
  }

  /** Only the row and its creation event, created at {@code createdAt}; no event published. */
  public UUID insertTask(
      String device,
      String methodCode,
      int priority,
      Instant deadline,
      String payload,
      String externalId,
      Instant createdAt) {
    return insertTask(
        device, methodCode, priority, deadline, payload, externalId, createdAt, false);
  }

  /** {@link #insertTask}, online-only if {@code onlineOnly}. */
  public UUID insertTask(
      String device,
      String methodCode,
      int priority,
      Instant deadline,
      String payload,
      String externalId,
      Instant createdAt,
      boolean onlineOnly) {
    UUID id = UUID.randomUUID();
    // One statement, as api-service writes them in one transaction: a sweep between two
    // statements could expire the task before its creation event exists.
    jdbc.sql(
            """
            WITH task AS (
                INSERT INTO tasks (id, device_id, client_id, method_code, priority, payload,
                                   external_id, status, created_at, deadline_at, updated_at,
                                   online_only)
                VALUES (?, ?, 'test-client', ?, ?, CAST(? AS jsonb), ?, 'QUEUED', ?, ?, ?, ?)
                RETURNING id
            )
            INSERT INTO task_events (task_id, from_status, to_status, cause, attempt, actor)
            SELECT id, NULL, 'QUEUED', 'CREATED', 0, 'api' FROM task
            """)
        .params(
            id,
            device,
            methodCode,
            priority,
            payload,
            externalId,
            utc(createdAt),
            utc(deadline),
            utc(createdAt),
            onlineOnly)
        .update();
    return id;
  }

  public void publishCreated(
      UUID id, String device, String methodCode, int priority, Instant deadline) {
    byte[] body = json.write(new TaskCreated(id, device, methodCode, priority, deadline));
    rabbit.send(
        NorthboundTopology.TASKS_EXCHANGE,
        NorthboundTopology.TASK_CREATED_KEY,
        MessageBuilder.withBody(body)
            .setContentType("application/json")
            .setDeliveryMode(MessageDeliveryMode.PERSISTENT)
            .build());
  }

  public TaskRow task(UUID id) {
    return jdbc.sql(
            """
            SELECT id, status, attempts, status_code, result::text AS result, result_id,
                   lease_expires_at, finished_at
              FROM tasks WHERE id = ?
            """)
        .params(id)
        .query(
            (rs, row) ->
                new TaskRow(
                    rs.getObject("id", UUID.class),
                    TaskStatus.valueOf(rs.getString("status")),
                    rs.getInt("attempts"),
                    (Integer) rs.getObject("status_code"),
                    rs.getString("result"),
                    rs.getObject("result_id", UUID.class),
                    instant(rs.getObject("lease_expires_at", OffsetDateTime.class)),
                    instant(rs.getObject("finished_at", OffsetDateTime.class))))
        .single();
  }

  public TaskStatus status(UUID id) {
    return task(id).status();
  }

  public List<EventRow> events(UUID id) {
    return jdbc.sql(
            """
            SELECT from_status, to_status, cause, attempt, actor
              FROM task_events WHERE task_id = ? ORDER BY id
            """)
        .params(id)
        .query(
            (rs, row) ->
                new EventRow(
                    rs.getString("from_status") == null
                        ? null
                        : TaskStatus.valueOf(rs.getString("from_status")),
                    TaskStatus.valueOf(rs.getString("to_status")),
                    Cause.valueOf(rs.getString("cause")),
                    rs.getInt("attempt"),
                    rs.getString("actor")))
        .list();
  }

  /** Asserts that the stored history of the task is a path through {@link TaskTransitions}. */
  public List<EventRow> assertHistoryIsAPath(UUID id) {
    List<EventRow> events = events(id);
    assertThat(events).as("events of task %s", id).isNotEmpty();
    TaskStatus current = null;
    for (EventRow event : events) {
      assertThat(event.from())
          .as("event %s of task %s starts where the last ended", event, id)
          .isEqualTo(current);
      assertThat(TaskTransitions.isAllowed(event.from(), event.to(), event.cause()))
          .as("transition %s of task %s is allowed", event, id)
          .isTrue();
      current = event.to();
    }
    assertThat(current).as("last event of task %s matches its status", id).isEqualTo(status(id));
    return events;
  }

  public DeviceRow device(String id) {
    return jdbc.sql("SELECT online, connected_at, last_seen_at FROM devices WHERE id = ?")
        .params(id)
        .query(
            (rs, row) ->
                new DeviceRow(
                    rs.getBoolean("online"),
                    instant(rs.getObject("connected_at", OffsetDateTime.class)),
                    instant(rs.getObject("last_seen_at", OffsetDateTime.class))))
        .single();
  }

  public static Instant inMinutes(long minutes) {
    return Instant.now().plus(minutes, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS);
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

  private static Instant instant(OffsetDateTime time) {
    return time == null ? null : time.toInstant();
  }
}
