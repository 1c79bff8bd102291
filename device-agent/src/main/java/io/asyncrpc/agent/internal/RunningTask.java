package io.asyncrpc.agent.internal;

import io.asyncrpc.agent.Task;
import org.jspecify.annotations.Nullable;

/**
 * The task whose handler runs, shared by the event thread (which may cancel it) and the handler's
 * thread. One lock orders "the handler returned" against "the core cancelled", so the interrupt of
 * a cancel never reaches the thread once the handler is done with it.
 */
final class RunningTask {

  private final Task task;
  private @Nullable Thread thread;
  private boolean returned;
  private boolean cancelled;

  RunningTask(Task task) {
    this.task = task;
  }

  Task task() {
    return task;
  }

  /**
   * On the handler's thread, before the handler runs.
   *
   * @return {@code false} when the task was cancelled before it started: do not run it
   */
  synchronized boolean start() {
    thread = Thread.currentThread();
    return !cancelled;
  }

  /**
   * On the handler's thread, once the handler returned or threw.
   *
   * @return whether the cancel came first: the handler ran (or ends) cancelled
   */
  synchronized boolean finish() {
    returned = true;
    thread = null;
    // A cancel's interrupt that the handler never consumed must not outlive it.
    Thread.interrupted();
    return cancelled;
  }

  /**
   * On the event thread: cancels the handler unless it already returned, and interrupts it.
   *
   * @return {@code false} when the handler had already returned: its result stands
   */
  synchronized boolean cancel() {
    if (returned) {
      return false;
    }
    cancelled = true;
    if (thread != null) {
      thread.interrupt();
    }
    return true;
  }

  synchronized boolean isCancelled() {
    return cancelled;
  }
}
