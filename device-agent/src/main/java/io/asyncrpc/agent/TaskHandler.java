package io.asyncrpc.agent;

/**
 * Does a device's work for one method code.
 *
 * <p>A handler runs on its own virtual thread, one task at a time per agent, so it may block. What
 * it returns is sent as the task's result; an exception it throws becomes a {@code 500} result
 * whose document names the exception, so the task ends {@code FAILED} instead of timing out. A
 * handler that reports progress while it runs is a {@link ReportingTaskHandler}.
 *
 * <p>A v2 agent stops a handler whose task the core cancelled: it interrupts the handler's thread
 * (see {@link ProgressReporter#isCancelled()}); a handler that then throws, or returns a failure,
 * counts as stopped and its result is not sent.
 */
@FunctionalInterface
public interface TaskHandler {

  /**
   * Runs {@code task} and returns its result.
   *
   * @param task the task handed to this device
   * @return the result to send, never {@code null}
   * @throws Exception when the work failed; sent as a {@code 500} result
   */
  TaskResult handle(Task task) throws Exception;

  /**
   * Runs {@code task} with a way to report progress; what the agent calls. The default ignores
   * {@code progress}, so a handler written before progress existed works unchanged.
   *
   * @param task the task handed to this device
   * @param progress sends progress of this task to the core
   * @return the result to send, never {@code null}
   * @throws Exception when the work failed; sent as a {@code 500} result
   */
  default TaskResult handle(Task task, ProgressReporter progress) throws Exception {
    return handle(task);
  }
}
