package io.asyncrpc.core.task;

import io.asyncrpc.task.model.TaskStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Gauges of the task backlog: {@code iot.task.queue.depth} per unfinished status and {@code
 * iot.task.queue.oldest.age} (seconds since the oldest waiting task was created).
 *
 * <p>A scrape only reads cached numbers; the counts come from one query every {@code
 * iot.gauges.refresh-interval}, which reads the partial indexes of unfinished tasks, so its cost
 * follows the backlog, not the table's history. Every core instance reports the same numbers: take
 * the maximum across instances, not the sum. While the database cannot be read the gauges are NaN.
 */
@Component
class QueueDepth {

  private static final Logger log = LoggerFactory.getLogger(QueueDepth.class);

  static final List<TaskStatus> UNFINISHED =
      List.of(TaskStatus.QUEUED, TaskStatus.PENDING, TaskStatus.LOCKED);

  // Two branches so each can use its partial index (tasks_waiting_deadline, tasks_locked_lease).
  private static final String COUNTS =
      """
      SELECT status, count(*) AS tasks, min(created_at) AS oldest
        FROM tasks WHERE status IN ('QUEUED', 'PENDING') GROUP BY status
      UNION ALL
      SELECT 'LOCKED', count(*), NULL FROM tasks WHERE status = 'LOCKED'
      """;

  private record Snapshot(Map<TaskStatus, Long> depth, @Nullable Instant oldestWaiting) {}

  private final JdbcClient jdbc;
  private final AtomicReference<@Nullable Snapshot> last = new AtomicReference<>();

  QueueDepth(JdbcClient jdbc, MeterRegistry meters) {
    this.jdbc = jdbc;
    for (TaskStatus status : UNFINISHED) {
      Gauge.builder("iot.task.queue.depth", this, q -> q.depth(status))
          .description("Unfinished tasks by status, counted every refresh interval")
          .tag("status", status.name())
          .register(meters);
    }
    Gauge.builder("iot.task.queue.oldest.age", this, QueueDepth::oldestAgeSeconds)
        .description("Seconds since the oldest QUEUED or PENDING task was created")
        .baseUnit("seconds")
        .register(meters);
  }

  @Scheduled(fixedDelayString = "${iot.gauges.refresh-interval:10s}")
  void refresh() {
    try {
      Map<TaskStatus, Long> depth = new EnumMap<>(TaskStatus.class);
      UNFINISHED.forEach(s -> depth.put(s, 0L));
      Instant[] oldest = {null};
      jdbc.sql(COUNTS)
          .query(
              rs -> {
                depth.put(TaskStatus.valueOf(rs.getString("status")), rs.getLong("tasks"));
                OffsetDateTime created = rs.getObject("oldest", OffsetDateTime.class);
                if (created != null
                    && (oldest[0] == null || created.toInstant().isBefore(oldest[0]))) {
                  oldest[0] = created.toInstant();
                }
              });
      last.set(new Snapshot(depth, oldest[0]));
    } catch (DataAccessException e) {
      last.set(null);
      log.debug("Task queue depth not counted: {}", e.toString());
    }
  }

  private double depth(TaskStatus status) {
    Snapshot snapshot = last.get();
    return snapshot == null ? Double.NaN : snapshot.depth().getOrDefault(status, 0L);
  }

  private double oldestAgeSeconds() {
    Snapshot snapshot = last.get();
    if (snapshot == null) {
      return Double.NaN;
    }
    return snapshot.oldestWaiting() == null
        ? 0
        : Duration.between(snapshot.oldestWaiting(), Instant.now()).toMillis() / 1000.0;
  }
}
