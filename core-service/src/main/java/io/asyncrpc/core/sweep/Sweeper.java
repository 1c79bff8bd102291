package io.asyncrpc.core.sweep;

import io.asyncrpc.core.CoreProperties;
import io.asyncrpc.core.southbound.TaskDispatch;
import io.asyncrpc.core.task.TaskLifecycle;
import io.asyncrpc.core.task.TaskTrigger;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionException;

/**
 * Runs the deadline sweep and the lease sweep every {@code iot.core.sweep-interval}. Each sweep is
 * one statement that skips rows another core instance holds, so any number of instances sweep side
 * by side. Tasks queued again are triggered again so an online device picks them up at once. A
 * third statement ends the waiting online-only tasks of offline devices that a disconnect did not
 * end.
 */
@Component
class Sweeper implements SchedulingConfigurer {

  private static final Logger log = LoggerFactory.getLogger(Sweeper.class);

  private final TaskLifecycle lifecycle;
  private final TaskDispatch dispatch;
  private final CoreProperties properties;
  private final Counter runs;

  Sweeper(
      TaskLifecycle lifecycle,
      TaskDispatch dispatch,
      CoreProperties properties,
      MeterRegistry meters) {
    this.lifecycle = lifecycle;
    this.dispatch = dispatch;
    this.properties = properties;
    this.runs = meters.counter("iot.sweeps");
  }

  @Override
  public void configureTasks(ScheduledTaskRegistrar registrar) {
    registrar.addFixedDelayTask(this::sweep, properties.sweepInterval());
  }

  void sweep() {
    try {
      int expired = lifecycle.sweepDeadlines();
      List<TaskTrigger> requeued = lifecycle.sweepLeases();
      int unreachable = lifecycle.sweepUnreachable();
      if (expired > 0 || !requeued.isEmpty() || unreachable > 0) {
        log.debug(
            "Swept: {} expired, {} queued again, {} unreachable",
            expired,
            requeued.size(),
            unreachable);
      }
      retrigger(requeued);
      runs.increment();
    } catch (DataAccessException | TransactionException e) {
      log.warn("Sweep failed, next try in {}: {}", properties.sweepInterval(), e.toString());
    }
  }

  private void retrigger(List<TaskTrigger> requeued) {
    if (requeued.isEmpty()) {
      return;
    }
    try {
      dispatch.offerAll(requeued);
    } catch (RuntimeException e) {
      // The tasks wait in the FIFO; the devices' next polls find them.
      log.warn("Could not trigger {} tasks again: {}", requeued.size(), e.toString());
    }
  }
}
