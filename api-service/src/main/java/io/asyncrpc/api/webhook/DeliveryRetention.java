package io.asyncrpc.api.webhook;

import io.asyncrpc.api.schedule.FixedDelayWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

/**
 * Deletes finished deliveries (and their attempts) older than {@code iot.webhooks.retention}, in
 * batches of {@code retention-batch-size} so no statement holds many row locks or runs long.
 */
@Component
class DeliveryRetention extends FixedDelayWork {

  private static final Logger log = LoggerFactory.getLogger(DeliveryRetention.class);

  private final DeliveryStore deliveries;
  private final WebhookProperties properties;

  DeliveryRetention(
      DeliveryStore deliveries, WebhookProperties properties, TaskScheduler scheduler) {
    super("webhook retention", scheduler, properties.retentionInterval(), properties.enabled());
    this.deliveries = deliveries;
    this.properties = properties;
  }

  /** Deletes batch after batch until one comes back short; returns how many were deleted. */
  int deleteExpired() {
    return drain(
        () -> deliveries.deleteFinished(properties.retention(), properties.retentionBatchSize()),
        properties.retentionBatchSize());
  }

  @Override
  protected void runOnce() {
    int deleted = deleteExpired();
    if (deleted > 0) {
      log.info("webhook retention deleted {} finished deliveries", deleted);
    }
  }
}
