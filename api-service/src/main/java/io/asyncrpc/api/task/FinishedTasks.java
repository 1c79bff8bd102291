package io.asyncrpc.api.task;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Tells when tasks finish, as the tenant event log says it, without a query per waiting caller.
 * Implemented where the log is followed; this package only waits.
 */
public interface FinishedTasks {

  /** Starts watching one task; close the watch when no longer waiting. */
  Watch watch(UUID taskId);

  /** One caller waiting for one task. */
  interface Watch extends AutoCloseable {

    /** Completes with the finished task (never exceptionally). */
    CompletableFuture<TaskView> finished();

    @Override
    void close();
  }
}
