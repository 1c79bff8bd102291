package io.asyncrpc.api.task;

import io.asyncrpc.api.security.CurrentCaller;
import io.asyncrpc.api.task.FinishedTasks.Watch;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * Waiting requests ({@code GET ...?wait=N}, {@code Prefer: wait=N}): the answer is a future that
 * completes when the task finishes or the wait is over. While it waits nothing is held but the
 * future itself: no request thread (the servlet request is asynchronous) and no database connection
 * (the event feed tells of finished tasks; one read before and one after the wait).
 */
@Component
class TaskWaiting {

  /** The longest wait a client may ask for. */
  static final int MAX_WAIT_SECONDS = 60;

  // Reads after the wait run on a virtual thread of their own, not on the timer's thread.
  private final Executor readers = Executors.newVirtualThreadPerTaskExecutor();
  private final FinishedTasks finished;
  private final TaskStore store;
  private final CurrentCaller caller;

  TaskWaiting(FinishedTasks finished, TaskStore store, CurrentCaller caller) {
    this.finished = finished;
    this.store = store;
    this.caller = caller;
  }

  /** {@link #until(UUID, String, Duration)} for the caller's tenant; call on the request thread. */
  CompletableFuture<Optional<TaskView>> until(UUID id, Duration wait) {
    return until(id, caller.get().tenant(), wait);
  }

  /**
   * The task as soon as it is finished, or its state after {@code wait}; empty if the tenant has no
   * such task. The watch starts before the first read, so a task finishing in between is seen.
   */
  CompletableFuture<Optional<TaskView>> until(UUID id, String tenant, Duration wait) {
    Watch watch = finished.watch(id);
    Optional<TaskView> now = store.find(id, tenant);
    if (now.isEmpty() || now.get().status().isTerminal()) {
      watch.close();
      return CompletableFuture.completedFuture(now);
    }
    CompletableFuture<TaskView> told = watch.finished();
    return told.copy()
        .completeOnTimeout(now.get(), wait.toMillis(), TimeUnit.MILLISECONDS)
        .thenApplyAsync(
            ignored -> {
              watch.close();
              // Told in time: the finished task. Otherwise the task as it stands now.
              return told.isDone() ? Optional.of(told.join()) : store.find(id, tenant);
            },
            readers);
  }
}
