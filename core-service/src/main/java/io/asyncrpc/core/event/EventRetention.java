package io.asyncrpc.core.event;

import io.asyncrpc.core.CoreProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * Deletes device events older than {@code iot.core.events.retention}, in bounded batches (one
 * statement each, the oldest first) until none is left, every {@code retention-interval}; safe with
 * many core instances.
 */
@Component
class EventRetention implements SchedulingConfigurer {

  private static final Logger log = LoggerFactory.getLogger(EventRetention.class);

  private final EventRepository events;
  private final CoreProperties.Events settings;

  EventRetention(EventRepository events, CoreProperties properties) {
    this.events = events;
    this.settings = properties.events();
  }

  @Override
  public void configureTasks(ScheduledTaskRegistrar registrar) {
    registrar.addFixedDelayTask(this::deleteExpired, settings.retentionInterval());
  }

  /** Deletes what is past its retention; the number of events deleted. */
  int deleteExpired() {
    int total = 0;
    try {
      int deleted;
      do {
        deleted = events.deleteExpired(settings.retention(), settings.retentionBatch());
        total += deleted;
      } while (deleted == settings.retentionBatch());
    } catch (DataAccessException e) {
      log.warn(
          "Event retention failed, next try in {}: {}", settings.retentionInterval(), e.toString());
    }
    if (total > 0) {
      log.debug("Deleted {} device events past their retention", total);
    }
    return total;
  }
}
