package io.asyncrpc.api.device;

import io.asyncrpc.api.web.Cursor;
import io.asyncrpc.api.web.PageView;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Reads the events core-service stores for a device: a filtered page by device time, newest first,
 * and the latest event of each type (the seed's gauges). One indexed statement each.
 */
@Repository
public class DeviceEventLog {

  private static final String COLUMNS =
      "id, event_type_code, dev_event_id, dev_timestamp, received_at, correlation,"
          + " payload::text AS payload";

  // The filters are arrays so one statement serves every combination (an empty array is "any").
  private static final String PAGE =
      """
      SELECT %s FROM device_events
       WHERE device_id = :device
         AND (cardinality(CAST(:types AS bigint[])) = 0 OR event_type_code = ANY(CAST(:types AS bigint[])))
         AND NOT (event_type_code = ANY(CAST(:excluded AS bigint[])))
         AND dev_timestamp >= :from AND dev_timestamp < :to
         AND (dev_timestamp, id) < (:cursorAt, :cursorId)
       ORDER BY dev_timestamp DESC, id DESC
       LIMIT :limit
      """
          .formatted(COLUMNS);

  private static final String LATEST_OF_EACH_TYPE =
      """
      SELECT DISTINCT ON (event_type_code) %s FROM device_events
       WHERE device_id = :device
       ORDER BY event_type_code, dev_timestamp DESC, id DESC
      """
          .formatted(COLUMNS);

  private static final OffsetDateTime BEGINNING = OffsetDateTime.parse("0001-01-01T00:00:00Z");
  private static final OffsetDateTime END = OffsetDateTime.parse("9999-12-31T23:59:59Z");

  private final JdbcClient jdbc;

  DeviceEventLog(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  PageView<DeviceEventView> page(
      String device,
      List<Long> types,
      List<Long> excluded,
      @Nullable Instant from,
      @Nullable Instant to,
      @Nullable Cursor cursor,
      int limit) {
    List<DeviceEventView> rows =
        jdbc.sql(PAGE)
            .param("device", device)
            .param("types", types.toArray(Long[]::new))
            .param("excluded", excluded.toArray(Long[]::new))
            .param("from", from == null ? BEGINNING : utc(from))
            .param("to", to == null ? END : utc(to))
            .param("cursorAt", cursor == null ? END : utc(cursor.createdAt()))
            .param("cursorId", cursor == null ? Long.MAX_VALUE : Long.parseLong(cursor.id()))
            .param("limit", limit + 1)
            .query(DeviceEventLog::view)
            .list();
    List<DeviceEventView> items = rows.stream().limit(limit).toList();
    String next = null;
    if (rows.size() > limit) {
      DeviceEventView last = items.getLast();
      next = new Cursor(last.devTimestamp(), Long.toString(last.id())).encode();
    }
    return new PageView<>(items, next);
  }

  /** The stored events of these ids, by id, in one statement; deleted ones are absent. */
  public Map<Long, DeviceEventView> byIds(Collection<Long> ids) {
    if (ids.isEmpty()) {
      return Map.of();
    }
    return jdbc
        .sql("SELECT " + COLUMNS + " FROM device_events WHERE id = ANY(:ids)")
        .param("ids", ids.toArray(Long[]::new))
        .query(DeviceEventLog::view)
        .list()
        .stream()
        .collect(Collectors.toMap(DeviceEventView::id, Function.identity()));
  }

  List<DeviceEventView> latestOfEachType(String device) {
    return jdbc.sql(LATEST_OF_EACH_TYPE).param("device", device).query(DeviceEventLog::view).list();
  }

  private static DeviceEventView view(ResultSet rs, int row) throws SQLException {
    return new DeviceEventView(
        rs.getLong("id"),
        rs.getLong("event_type_code"),
        rs.getLong("dev_event_id"),
        rs.getObject("dev_timestamp", OffsetDateTime.class).toInstant(),
        rs.getObject("received_at", OffsetDateTime.class).toInstant(),
        rs.getString("correlation"),
        rs.getString("payload"));
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
