package io.asyncrpc.api.outbox;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Gauges of events not yet confirmed by the broker: {@code iot.outbox.backlog} (rows) and {@code
 * iot.outbox.oldest.age} (seconds since the oldest was committed). A backlog that grows while the
 * broker is up means the relay cannot keep up; one older than the grace period means events wait
 * for the relay (docs/outbox.md).
 *
 * <p>A scrape only reads cached numbers, counted every {@code iot.gauges.refresh-interval}; every
 * api instance reports the same table, so take the maximum, not the sum. NaN while the database
 * cannot be read.
 */
@Component
class OutboxBacklog {

  private static final Logger log = LoggerFactory.getLogger(OutboxBacklog.class);

  private record Snapshot(long rows, @Nullable Instant oldest) {}

  private final JdbcClient jdbc;
  private final AtomicReference<@Nullable Snapshot> last = new AtomicReference<>();

  OutboxBacklog(JdbcClient jdbc, MeterRegistry meters) {
    this.jdbc = jdbc;
    Gauge.builder("iot.outbox.backlog", this, OutboxBacklog::rows)
        .description("Outbox events committed and not yet confirmed by the broker")
        .register(meters);
    Gauge.builder("iot.outbox.oldest.age", this, OutboxBacklog::oldestAgeSeconds)
        .description("Seconds since the oldest unconfirmed outbox event was committed")
        .baseUnit("seconds")
        .register(meters);
  }

  @Scheduled(fixedDelayString = "${iot.gauges.refresh-interval:10s}")
  void refresh() {
    try {
      last.set(
          jdbc.sql("SELECT count(*) AS rows, min(created_at) AS oldest FROM outbox")
              .query(
                  (rs, n) -> {
                    OffsetDateTime oldest = rs.getObject("oldest", OffsetDateTime.class);
                    return new Snapshot(
                        rs.getLong("rows"), oldest == null ? null : oldest.toInstant());
                  })
              .single());
    } catch (DataAccessException e) {
      last.set(null);
      log.debug("Outbox backlog not counted: {}", e.toString());
    }
  }

  private double rows() {
    Snapshot snapshot = last.get();
    return snapshot == null ? Double.NaN : snapshot.rows();
  }

  private double oldestAgeSeconds() {
    Snapshot snapshot = last.get();
    if (snapshot == null) {
      return Double.NaN;
    }
    Instant oldest = snapshot.oldest();
    return oldest == null ? 0 : Duration.between(oldest, Instant.now()).toMillis() / 1000.0;
  }
}
