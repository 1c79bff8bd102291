package io.asyncrpc.api.event;

import io.asyncrpc.api.device.DeviceEventLog;
import io.asyncrpc.api.device.DeviceEventView;
import io.asyncrpc.api.task.TaskView;
import io.asyncrpc.api.task.TaskViews;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the tenant event log (table {@code tenant_events}, written by triggers) in its order and
 * renders each event's data.
 *
 * <p>Only events of transactions older than every running one are read ({@code tx <
 * pg_snapshot_xmin(...)}): no transaction can still add an event before them, so a reader that
 * resumes after an event it saw misses nothing and sees nothing twice. The price is that an event
 * becomes readable only once every transaction that began before its own has ended.
 */
@Repository
public class TenantEventLog {

  // tx is read as text (JDBC has no xid8) under another name: an output column named tx would be
  // what ORDER BY tx sorts by, in text order ("10" before "9"), and not by the index.
  private static final String COLUMNS =
      "id, tx::text AS tx_text, tenant, type, device_id, task_id, device_event_id, job_id, at,"
          + " data::text AS data";

  private static final String VISIBLE =
      """
      (tx, id) > (CAST(CAST(:tx AS text) AS xid8), :id)
      AND tx < pg_snapshot_xmin(pg_current_snapshot())""";

  private static final String EVERY_TENANT =
      "SELECT "
          + COLUMNS
          + " FROM tenant_events WHERE "
          + VISIBLE
          + " ORDER BY tx, id LIMIT :limit";

  private static final String ONE_TENANT =
      """
      SELECT %s FROM tenant_events
       WHERE tenant = :tenant AND %s
         AND (cardinality(CAST(:types AS text[])) = 0 OR type = ANY(CAST(:types AS text[])))
         AND (CAST(:device AS text) IS NULL OR device_id = CAST(:device AS text))
         AND (CAST(:task AS uuid) IS NULL OR task_id = CAST(:task AS uuid))
       ORDER BY tx, id LIMIT :limit
      """
          .formatted(COLUMNS, VISIBLE);

  private final JdbcClient jdbc;
  private final TaskViews tasks;
  private final DeviceEventLog deviceEvents;
  private final JsonMapper json;

  TenantEventLog(JdbcClient jdbc, TaskViews tasks, DeviceEventLog deviceEvents, JsonMapper json) {
    this.jdbc = jdbc;
    this.tasks = tasks;
    this.deviceEvents = deviceEvents;
    this.json = json;
  }

  /**
   * The position right after everything readable now: a reader starting here gets only events that
   * become readable later.
   */
  public EventPosition head() {
    long xmin =
        Long.parseLong(
            Objects.requireNonNull(
                jdbc.sql("SELECT pg_snapshot_xmin(pg_current_snapshot())::text")
                    .query(String.class)
                    .single()));
    // Every readable event has tx < xmin; every later one has tx >= xmin.
    return new EventPosition(xmin - 1, Long.MAX_VALUE);
  }

  /** Every tenant's events after {@code position}, oldest first, at most {@code limit}. */
  public List<TenantEvent> after(EventPosition position, int limit) {
    return render(
        jdbc.sql(EVERY_TENANT)
            .param("tx", position.tx())
            .param("id", position.id())
            .param("limit", limit)
            .query(TenantEventLog::row)
            .list());
  }

  /** One tenant's events after {@code position} that match the filter, oldest first. */
  public List<TenantEvent> after(
      String tenant, EventPosition position, EventFilter filter, int limit) {
    return render(
        jdbc.sql(ONE_TENANT)
            .param("tenant", tenant)
            .param("tx", position.tx())
            .param("id", position.id())
            .param("types", filter.types().stream().map(EventType::wireName).toArray(String[]::new))
            .param("device", filter.deviceId())
            .param("task", filter.taskId())
            .param("limit", limit)
            .query(TenantEventLog::row)
            .list());
  }

  /** One stored row: references, and the data only presence, progress and jobs keep themselves. */
  private record Row(
      EventPosition position,
      String tenant,
      EventType type,
      @Nullable String deviceId,
      @Nullable UUID taskId,
      @Nullable Long deviceEventId,
      @Nullable UUID jobId,
      Instant at,
      @Nullable String data) {}

  private static Row row(ResultSet rs, int n) throws SQLException {
    return new Row(
        new EventPosition(Long.parseLong(rs.getString("tx_text")), rs.getLong("id")),
        rs.getString("tenant"),
        EventType.fromWire(rs.getString("type")),
        rs.getString("device_id"),
        rs.getObject("task_id", UUID.class),
        rs.getObject("device_event_id", Long.class),
        rs.getObject("job_id", UUID.class),
        rs.getObject("at", OffsetDateTime.class).toInstant(),
        rs.getString("data"));
  }

  /** The referenced tasks and device events in one statement each, whatever the page holds. */
  private List<TenantEvent> render(List<Row> rows) {
    if (rows.isEmpty()) {
      return List.of();
    }
    Map<UUID, TaskView> finished =
        tasks.byIds(
            rows.stream()
                .filter(r -> r.type() == EventType.TASK_FINISHED && r.taskId() != null)
                .map(Row::taskId)
                .toList());
    Map<Long, DeviceEventView> stored =
        deviceEvents.byIds(
            rows.stream()
                .filter(r -> r.type() == EventType.DEVICE_EVENT && r.deviceEventId() != null)
                .map(Row::deviceEventId)
                .toList());
    List<TenantEvent> events = new ArrayList<>(rows.size());
    for (Row row : rows) {
      Object data = data(row, finished, stored);
      // A task or device event deleted since (retention) leaves nothing worth telling.
      if (data != null) {
        events.add(
            new TenantEvent(
                row.position(),
                row.tenant(),
                row.type(),
                row.deviceId(),
                row.taskId(),
                row.at(),
                data));
      }
    }
    return events;
  }

  private @Nullable Object data(
      Row row, Map<UUID, TaskView> finished, Map<Long, DeviceEventView> stored) {
    return switch (row.type()) {
      case TASK_FINISHED -> row.taskId() == null ? null : finished.get(row.taskId());
      case DEVICE_EVENT -> {
        DeviceEventView event =
            row.deviceEventId() == null ? null : stored.get(row.deviceEventId());
        yield event == null
            ? null
            : new DeviceEventData(
                device(row),
                event.id(),
                event.eventTypeCode(),
                event.devEventId(),
                event.devTimestamp(),
                event.receivedAt(),
                event.correlation(),
                event.payload());
      }
      case TASK_PROGRESS -> {
        JsonNode report = document(row);
        yield row.taskId() == null
            ? null
            : new ProgressData(
                row.taskId(),
                device(row),
                report.path("percent").isNumber() ? report.path("percent").asInt() : null,
                report.path("message").isString() ? report.path("message").asString() : null,
                report.path("details").isMissingNode() || report.path("details").isNull()
                    ? null
                    : report.path("details"),
                row.at());
      }
      case JOB_PROGRESS, JOB_FINISHED ->
          row.jobId() == null ? null : job(row.jobId(), document(row));
      case DEVICE_PRESENCE -> {
        JsonNode presence = document(row);
        yield new PresenceData(
            device(row),
            presence.path("online").asBoolean(),
            instant(presence.path("connected_at")),
            instant(presence.path("last_seen_at")));
      }
    };
  }

  /** The roll-up core-service's rollout wrote with the event (or the api, for a cancel). */
  private static JobEventData job(UUID jobId, JsonNode data) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> count : data.path("counts").properties()) {
      counts.put(count.getKey(), count.getValue().asInt());
    }
    return new JobEventData(
        jobId,
        data.path("status").asString(""),
        data.path("status_reason").isString() ? data.path("status_reason").asString() : null,
        data.path("target_count").asInt(),
        data.path("executions_created").asInt(),
        counts);
  }

  private JsonNode document(Row row) {
    return json.readTree(row.data() == null ? "{}" : row.data());
  }

  /** Only a job's events have no device: device events, task progress and presence have one. */
  private static String device(Row row) {
    return Objects.requireNonNull(row.deviceId(), () -> row.type() + " events are a device's");
  }

  private static @Nullable Instant instant(JsonNode text) {
    // jsonb writes a timestamptz with the session's offset: "2026-12-02T04:30:00.123456+00:00".
    return text.isString() ? OffsetDateTime.parse(text.asString()).toInstant() : null;
  }
}
