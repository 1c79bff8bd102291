package io.asyncrpc.core.event;

import io.asyncrpc.protocol.DeviceEvent;
import java.time.Duration;
import java.time.ZoneOffset;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The SQL of device events. */
@Repository
class EventRepository {

  // A resent event (same device, id and device time) is kept once: the first one stays.
  private static final String STORE =
      """
      INSERT INTO device_events (device_id, event_type_code, dev_event_id, dev_timestamp,
                                 correlation, payload)
      VALUES (:device, :type, :id, :at, :correlation, CAST(CAST(:payload AS text) AS jsonb))
      ON CONFLICT (device_id, dev_event_id, dev_timestamp) DO NOTHING
      """;

  private static final String DELETE_EXPIRED =
      """
      DELETE FROM device_events
       WHERE id IN (SELECT id FROM device_events
                     WHERE received_at < now() - :retentionMillis * interval '1 millisecond'
                     ORDER BY received_at
                     LIMIT :batch)
      """;

  private final JdbcClient jdbc;

  EventRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Stores the event; false when the device sent it before (nothing changes). */
  boolean store(
      String device,
      DeviceEvent event,
      @Nullable String correlation,
      @Nullable String payloadJson) {
    return jdbc.sql(STORE)
            .param("device", device)
            .param("type", event.typeCode())
            .param("id", event.deviceEventId())
            .param("at", event.deviceTimestamp().atOffset(ZoneOffset.UTC))
            .param("correlation", correlation)
            .param("payload", payloadJson)
            .update()
        > 0;
  }

  /** Deletes up to {@code batch} events received longer than {@code retention} ago. */
  int deleteExpired(Duration retention, int batch) {
    return jdbc.sql(DELETE_EXPIRED)
        .param("retentionMillis", retention.toMillis())
        .param("batch", batch)
        .update();
  }
}
