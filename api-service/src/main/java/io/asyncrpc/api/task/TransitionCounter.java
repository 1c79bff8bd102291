package io.asyncrpc.api.task;

import io.asyncrpc.task.model.TaskStatus;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Counts the transitions this service makes in {@code iot.task.transitions} (tags {@code from},
 * {@code to}), the counter core-service counts the others in; creation has {@code from=NONE}. Only
 * after the transaction commits, so a rolled-back change is never counted.
 */
@Component
class TransitionCounter {

  /** The {@code from} tag of a task's creation. */
  static final String NONE = "NONE";

  private final MeterRegistry meters;

  TransitionCounter(MeterRegistry meters) {
    this.meters = meters;
  }

  /** Counts {@code from → to} once the current transaction commits. */
  void afterCommit(@Nullable TaskStatus from, TaskStatus to) {
    afterCommit(from, to, 1);
  }

  /** Counts {@code times} transitions {@code from → to} once the current transaction commits. */
  void afterCommit(@Nullable TaskStatus from, TaskStatus to, int times) {
    if (times == 0) {
      return;
    }
    TransactionSynchronizationManager.registerSynchronization(
        new TransactionSynchronization() {
          @Override
          public void afterCommit() {
            meters
                .counter(
                    "iot.task.transitions",
                    "from",
                    from == null ? NONE : from.name(),
                    "to",
                    to.name())
                .increment(times);
          }
        });
  }
}
