package io.asyncrpc.api.event;

import io.asyncrpc.api.schedule.FixedDelayWork;
import java.time.Instant;
import java.time.ZoneOffset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Deletes tenant events older than the retention, a bounded batch per statement so no run holds
 * many locks or a long transaction (which would hold back every reader of the log). Several
 * instances may run it at once: a row is deleted once whoever gets it.
 */
@Component
class TenantEventRetention {

  private static final Logger log = LoggerFactory.getLogger(TenantEventRetention.class);

  private static final String DELETE_OLDEST =
      """
      DELETE FROM tenant_events WHERE id IN (
          SELECT id FROM tenant_events WHERE at < :before ORDER BY at LIMIT :batch
          FOR UPDATE SKIP LOCKED)
      """;

  private final JdbcClient jdbc;
  private final EventProperties properties;

  TenantEventRetention(JdbcClient jdbc, EventProperties properties) {
    this.jdbc = jdbc;
    this.properties = properties;
  }

  @Scheduled(fixedDelayString = "${iot.events.retention-interval:1m}", initialDelay = 60_000)
  void deleteExpired() {
    Instant before = Instant.now().minus(properties.retention());
    int total =
        FixedDelayWork.drain(
            () ->
                jdbc.sql(DELETE_OLDEST)
                    .param("before", before.atOffset(ZoneOffset.UTC))
                    .param("batch", properties.retentionBatch())
                    .update(),
            properties.retentionBatch());
    if (total > 0) {
      log.info("Deleted {} tenant events older than {}", total, properties.retention());
    }
  }
}
