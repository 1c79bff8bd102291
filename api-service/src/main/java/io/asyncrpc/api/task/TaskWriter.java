package io.asyncrpc.api.task;

import io.asyncrpc.api.outbox.Outbox;
import io.asyncrpc.api.task.TaskStore.Inserted;
import io.asyncrpc.api.task.TaskStore.NewRow;
import io.asyncrpc.task.model.NorthboundTopology;
import io.asyncrpc.task.model.TaskCreated;
import io.asyncrpc.task.model.TaskStatus;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes new tasks with group commit ({@link GroupCommit}): the create requests that wait while a
 * writer is busy are written together, in one transaction of two statements (the tasks with their
 * first events, then their outbox rows with {@code iot.outbox.task-created=table}, or the
 * notification of the new tasks with {@code notify}, the default) and one commit, and each request
 * is answered once that commit is done.
 *
 * <p>The batch size shows in {@code iot.api.tasks.batch} (a distribution summary) and what waits in
 * {@code iot.api.tasks.waiting}.
 */
@Component
class TaskWriter implements DisposableBean {

  /** SQLSTATE classes of failures one row can cause: data exception, integrity, deadlock. */
  private static final Set<String> ONE_ROWS_FAULT = Set.of("22", "23", "40");

  /** SQLSTATE foreign_key_violation: the task's device is gone (the device check raced). */
  private static final String FOREIGN_KEY_VIOLATION = "23503";

  private final TaskStore store;
  private final Outbox outbox;
  private final TransactionTemplate transactions;
  private final TransitionCounter transitions;
  private final GroupCommit<NewRow, Inserted> commits;

  TaskWriter(
      TaskStore store,
      Outbox outbox,
      TransactionTemplate transactions,
      TransitionCounter transitions,
      GroupCommitProperties properties,
      MeterRegistry meters) {
    this.store = store;
    this.outbox = outbox;
    this.transactions = transactions;
    this.transitions = transitions;
    DistributionSummary batches =
        DistributionSummary.builder("iot.api.tasks.batch")
            .description("Tasks written per transaction by the group commit")
            .baseUnit("tasks")
            .register(meters);
    this.commits =
        new GroupCommit<>(
            "task-writer",
            properties.queueCapacity(),
            properties.maxBatch(),
            properties.writers(),
            this::writeBatch,
            TaskWriter::mayBeOneRowsFault,
            batches::record);
    Gauge.builder("iot.api.tasks.waiting", commits, GroupCommit::waiting)
        .description("Create requests waiting for the group commit")
        .register(meters);
  }

  /**
   * Writes {@code row} together with whatever else waits, and returns once that transaction
   * committed; a failure of the transaction is thrown as it was raised.
   */
  Inserted write(NewRow row) {
    CompletableFuture<Inserted> written;
    try {
      written = commits.submit(row);
    } catch (GroupCommit.Refused e) {
      throw new WriterBusyException(e.closed());
    }
    try {
      return written.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while task " + row.id() + " was written", e);
    } catch (ExecutionException e) {
      Throwable cause = Objects.requireNonNullElse(e.getCause(), e);
      if (cause instanceof GroupCommit.Refused refused) {
        throw new WriterBusyException(refused.closed());
      }
      if (FOREIGN_KEY_VIOLATION.equals(sqlState(cause))) {
        // Only this row's own failure reaches its future (GroupCommit retries each alone).
        return new Inserted.DeviceUnknown();
      }
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException(cause);
    }
  }

  private List<Inserted> writeBatch(List<NewRow> rows) {
    return Objects.requireNonNull(
        transactions.execute(
            status -> {
              List<Inserted> results = store.insertAll(rows, TaskManagement.ACTOR);
              List<Outbox.Event> events = new ArrayList<>();
              int unreachable = 0;
              for (int i = 0; i < rows.size(); i++) {
                if (results.get(i) instanceof Inserted.Created created
                    && created.status() == TaskStatus.UNREACHABLE) {
                  // Finished already: nothing for the core to deliver, so no task.created.
                  unreachable++;
                } else if (results.get(i) instanceof Inserted.Created) {
                  NewRow row = rows.get(i);
                  events.add(
                      new Outbox.Event(
                          row.id(),
                          TaskCreated.class.getSimpleName(),
                          NorthboundTopology.TASK_CREATED_KEY,
                          new TaskCreated(
                              row.id(),
                              row.deviceId(),
                              row.methodCode(),
                              row.priority(),
                              row.deadlineAt())));
                }
              }
              // The tasks' own rows say they wait: with task-created=notify or sweep that is the
              // only
              // write.
              outbox.appendRecoverable(events);
              transitions.afterCommit(null, TaskStatus.QUEUED, events.size());
              transitions.afterCommit(null, TaskStatus.UNREACHABLE, unreachable);
              return results;
            }));
  }

  /** Whether a batch's failure may be caused by one of its rows: then each is retried alone. */
  static boolean mayBeOneRowsFault(Throwable failure) {
    String state = sqlState(failure);
    return state != null && state.length() >= 2 && ONE_ROWS_FAULT.contains(state.substring(0, 2));
  }

  private static @Nullable String sqlState(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        return sql.getSQLState();
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }

  @Override
  public void destroy() {
    // The web server has stopped taking requests by now: write what waits, then close.
    commits.close();
  }
}
