package io.asyncrpc.api.webhook;

import java.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

/**
 * Deletes finished deliveries (and their attempts) older than {@code iot.webhooks.retention}, in
 * batches of {@code retention-batch-size} so no statement holds many row locks or runs long.
 */
@Component
class DeliveryRetention implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(DeliveryRetention.class);

  private final DeliveryStore deliveries;
  private final WebhookProperties properties;
  private final TaskScheduler scheduler;
  private volatile ScheduledFuture<?> schedule;

  DeliveryRetention(
      DeliveryStore deliveries, WebhookProperties properties, TaskScheduler scheduler) {
    this.deliveries = deliveries;
    this.properties = properties;
    this.scheduler = scheduler;
  }

  /** Deletes batch after batch until one comes back short; returns how many were deleted. */
  int deleteExpired() {
    int total = 0;
    int deleted;
    do {
      deleted = deliveries.deleteFinished(properties.retention(), properties.retentionBatchSize());
      total += deleted;
    } while (deleted == properties.retentionBatchSize());
    return total;
  }

  private void deleteSafely() {
    try {
      int deleted = deleteExpired();
      if (deleted > 0) {
        log.info("webhook retention deleted {} finished deliveries", deleted);
      }
    } catch (RuntimeException e) {
      log.warn("webhook retention failed; retrying in {}", properties.retentionInterval(), e);
    }
  }

  @Override
  public void start() {
    if (properties.enabled()) {
      schedule =
          scheduler.scheduleWithFixedDelay(this::deleteSafely, properties.retentionInterval());
    }
  }

  @Override
  public void stop() {
    ScheduledFuture<?> current = schedule;
    if (current != null) {
      current.cancel(false);
      schedule = null;
    }
  }

  @Override
  public boolean isRunning() {
    return schedule != null;
  }
}
